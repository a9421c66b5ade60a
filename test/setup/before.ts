/**
 * Runs once before the test files (tap's "before"): compiles the contracts and migrates the
 * template database that every test file clones.
 */
import { compileContracts } from '../../scripts/compile-contracts.js';
import { applyMigrations } from '../../scripts/db.js';
import { recreateTemplate } from '../helpers/database.js';

compileContracts();
await recreateTemplate(applyMigrations);
