/**
 * Docker, without Docker: what the Dockerfile does, step by step, in a temporary folder, and the
 * image's four entry commands (docker-entrypoint.sh) run against the test stack.
 *
 *   build stage    the tracked sources (the .dockerignore'd ones left out), the Prisma client generated
 *                  (postinstall), `npm run build` (contracts + tsc -p tsconfig.build.json)
 *   prod-deps      node_modules without the devDependencies (`npm prune --omit=dev`), in a copy: the
 *                  shared node_modules is hard-linked file by file, so pruning unlinks entries of the
 *                  copy only, and the one file npm rewrites (node_modules/.package-lock.json) is a real copy
 *   runtime        dist, build, prisma, package.json and the pruned node_modules, NODE_ENV=production
 *
 * Then: `migrate` applies the migrations to an empty database and exits 0; `server` answers /health;
 * `relayer` answers /health; `cli list` and `cli metrics` print; migrate and cli without
 * RECEIPT_PRIVATE_KEY. The compiled Prisma client must import no `.ts` file (a build that once did
 * failed at start), and tsconfig rewrites such imports if a generator ever emits them.
 */
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Wallet } from 'ethers';
import { projectRoot } from '../core/project-root.js';
import { freePort } from '../scripts/local-chain.js';
import { adminDatabaseUrl, databaseUrlFor } from './helpers/database.js';
import { startStack, waitFor } from './helpers/stack.js';

const sh = (command: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}, timeout = 300_000) => {
  const r = spawnSync(command, args, { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
};

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path);
  }
}

t.test('the image, built and run without Docker', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'govrelay-image-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const sharedModules = join(projectRoot, 'node_modules');

  // Build stage: the tracked files, as `COPY . .` sends them (minus .dockerignore's entries).
  const src = join(work, 'src');
  const tracked = sh('git', ['ls-files', '-z'], projectRoot).out.split('\0').filter(Boolean);
  const ignored = readFileSync(join(projectRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  t.ok(ignored.includes('.env'), '.dockerignore keeps .env out of the image');
  for (const file of tracked) {
    if (ignored.some((i) => file === i || file.startsWith(`${i}/`))) continue;
    if (!existsSync(join(projectRoot, file))) continue;
    mkdirSync(dirname(join(src, file)), { recursive: true });
    copyFileSync(join(projectRoot, file), join(src, file));
  }
  spawnSync('ln', ['-s', sharedModules, join(src, 'node_modules')]);
  // Compiled contracts are cached by a hash of their sources: reuse this checkout's, as a warm build cache would.
  if (existsSync(join(projectRoot, 'build/contracts'))) cpSync(join(projectRoot, 'build/contracts'), join(src, 'build/contracts'), { recursive: true });
  const generate = sh('npm', ['run', '--silent', 'db:generate'], src);
  t.equal(generate.code, 0, `prisma generate (postinstall)\n${generate.out.slice(-2000)}`);
  const build = sh('npm', ['run', '--silent', 'build'], src);
  t.equal(build.code, 0, `npm run build\n${build.out.slice(-3000)}`);
  if (build.code !== 0) return;

  const tsImports: string[] = [];
  walk(join(src, 'dist'), (file) => {
    if (!file.endsWith('.js')) return;
    const text = readFileSync(file, 'utf8');
    if (/(from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+\.ts['"]/.test(text)) tsImports.push(file.slice(src.length + 1));
  });
  t.same(tsImports, [], 'no compiled file imports a .ts file (the generated Prisma client included)');
  t.ok(existsSync(join(src, 'dist/server/generated/prisma/client.js')), 'the Prisma client is compiled into dist');

  // prod-deps stage, in a copy.
  const image = join(work, 'image');
  mkdirSync(image);
  for (const dir of ['dist', 'build', 'prisma']) cpSync(join(src, dir), join(image, dir), { recursive: true });
  // package.json without `overrides` for the prune: they describe the committed lock, and the shared
  // install may predate it; npm would otherwise try to fetch the overridden versions. The installed
  // tree satisfies every range either way, so the prune keeps exactly what is installed, minus dev.
  const manifest = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  delete manifest.overrides;
  writeFileSync(join(image, 'package.json'), JSON.stringify(manifest, null, 2));
  const link = sh('cp', ['-al', sharedModules + '/.', join(image, 'node_modules')], work);
  t.equal(link.code, 0, link.out);
  // The lock of what is installed (the shared install may predate the committed lock); a real copy, since npm rewrites it.
  rmSync(join(image, 'node_modules/.package-lock.json'));
  copyFileSync(join(sharedModules, '.package-lock.json'), join(image, 'node_modules/.package-lock.json'));
  copyFileSync(join(sharedModules, '.package-lock.json'), join(image, 'package-lock.json'));
  const sharedPrismaCli = statSync(join(sharedModules, 'prisma/package.json')).ino;
  const prune = sh('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], image);
  t.equal(prune.code, 0, `npm prune --omit=dev\n${prune.out.slice(-2000)}`);
  t.notOk(existsSync(join(image, 'node_modules/hardhat')), 'dev dependencies are gone from the copy');
  t.ok(
    existsSync(join(sharedModules, 'hardhat/package.json')) && statSync(join(sharedModules, 'prisma/package.json')).ino === sharedPrismaCli,
    'the shared node_modules is untouched',
  );
  rmSync(join(image, 'package-lock.json'));
  copyFileSync(join(src, 'package.json'), join(image, 'package.json'));

  // Runtime: the entry commands against a stack (chain with Multicall3 and the DAO, PostgreSQL, Redis).
  const stack = await startStack({ dao: {} });
  t.teardown(() => stack.close());
  const entry = join(projectRoot, 'docker-entrypoint.sh');
  const base = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    REDIS_URL: stack.config.REDIS_URL,
    REDIS_PREFIX: stack.config.REDIS_PREFIX,
    RPC_URL: stack.config.RPC_URL,
    CHAIN_ID: String(stack.config.CHAIN_ID),
    MULTICALL_ADDRESS: stack.config.MULTICALL_ADDRESS,
    DEPLOYMENT_SALT: stack.config.DEPLOYMENT_SALT,
    RECEIPT_PRIVATE_KEY: undefined,
    RELAYER_PRIVATE_KEY: undefined,
    DATABASE_URL: undefined,
  };

  // migrate: a fresh, empty database; no receipt key.
  const dbName = `govrelay_img_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });
  const databaseUrl = databaseUrlFor(dbName);
  const migrate = sh('sh', [entry, 'migrate'], image, { ...base, DATABASE_URL: databaseUrl }, 120_000);
  t.equal(migrate.code, 0, `migrate exits 0 without RECEIPT_PRIVATE_KEY\n${migrate.out.slice(-2000)}`);
  t.match(migrate.out, /migrations applied/);

  const children: ChildProcess[] = [];
  t.teardown(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
  const start = (command: string, env: Record<string, string | undefined>) => {
    const child = spawn('sh', [entry, command], {
      cwd: image,
      env: { ...process.env, NODE_OPTIONS: '', ...base, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    children.push(child);
    return { child, output: () => output };
  };
  const health = async (url: string) => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return r.status === 200 ? ((await r.json()) as { status: string }) : null;
    } catch {
      return null;
    }
  };

  const port = await freePort();
  const server = start('server', { PORT: String(port), RECEIPT_PRIVATE_KEY: Wallet.createRandom().privateKey });
  const serverHealth = await waitFor(() => health(`http://127.0.0.1:${port}/health`), 60_000, 250).catch(() => null);
  t.equal(serverHealth?.status, 'ok', `the compiled server answers /health\n${server.output()}`);

  const relayerPort = await freePort();
  const relayer = start('relayer', {
    RELAYER_HTTP_PORT: String(relayerPort),
    RELAYER_PRIVATE_KEY: stack.dao!.relayerWallet.privateKey,
    RELAYER_CONFIRMATIONS: '1',
    RECEIPT_PRIVATE_KEY: Wallet.createRandom().privateKey,
  });
  const relayerHealth = await waitFor(() => health(`http://127.0.0.1:${relayerPort}/health`), 60_000, 250).catch(() => null);
  t.equal(relayerHealth?.status, 'ok', `the compiled relayer answers /health\n${relayer.output()}`);

  const list = sh('sh', [entry, 'cli', 'list'], image, { ...base, DATABASE_URL: databaseUrl }, 60_000);
  t.equal(list.code, 0, `cli list exits 0 without RECEIPT_PRIVATE_KEY\n${list.out.slice(-2000)}`);
  const metrics = sh('sh', [entry, 'cli', 'metrics'], image, { ...base, DATABASE_URL: databaseUrl }, 60_000);
  t.equal(metrics.code, 0, metrics.out.slice(-2000));
  t.match(metrics.out, /govrelay_executions\{status="queued"\} 0/, 'cli metrics prints the execution counts');
  const unknown = sh('sh', [entry, 'cli', 'status', `0x${'ab'.repeat(32)}`], image, { ...base, DATABASE_URL: databaseUrl }, 60_000);
  t.equal(unknown.code, 1, 'cli status of an unknown proposal exits 1');
  t.match(unknown.out, /0xabab/, 'and names it');
});
