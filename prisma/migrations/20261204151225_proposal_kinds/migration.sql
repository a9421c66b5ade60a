-- Proposal kinds (issue 18). Every proposal made before kinds ran under its space's one set of rules,
-- the kind "default": existing rows get it, and nothing else changes.
-- AlterTable
ALTER TABLE "proposals" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'default';
