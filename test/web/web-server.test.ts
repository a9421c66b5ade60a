/**
 * The server side of the members' app without a browser: the committed API types equal what the
 * OpenAPI document generates (so the app never drifts from the server), the app plugin without a
 * build (one info log, the API still served), and GET /api/proposals/:id/rules.
 */
import t from 'tap';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import webPlugin from '../../server/plugins/web.js';
import { apiTypesSource } from '../../web/scripts/openapi-types.js';
import { createSpace, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { propose, vote } from '../helpers/web-flows.js';
import { captureLogLines } from '../helpers/log-capture.js';

let stack: TestStack;
t.before(async () => {
  stack = await startStack();
});
t.teardown(() => stack?.close());

t.test('web/src/api/schema.d.ts is generated from the current OpenAPI document (run `npm run api:types` when this fails)', async (t) => {
  const committed = await readFile(new URL('../../web/src/api/schema.d.ts', import.meta.url), 'utf8');
  const generated = await apiTypesSource(stack.app.swagger());
  t.ok(committed === generated, 'web/src/api/schema.d.ts is up to date');
  t.match(committed, /"\/api\/proposals\/\{id\}\/rules"/, 'new endpoints reach the app types');
});

const capture = (): { lines: Record<string, unknown>[]; stream: Writable } => captureLogLines();

t.test('without web/dist the plugin logs once at info and the server answers the API only', async (t) => {
  const { lines, stream } = capture();
  const app = Fastify({ logger: { level: 'info', stream } });
  app.get('/api/ping', async () => ({ ok: true }));
  const missing = join(tmpdir(), `govrelay-no-dist-${process.pid}`);
  await app.register(webPlugin, { dir: missing });
  await app.ready();
  t.teardown(() => app.close());
  t.equal((await app.inject({ method: 'GET', url: '/api/ping' })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })).statusCode, 404, 'no app without a build');
  const notes = lines.filter((l) => String(l.msg).includes('web app not built'));
  t.equal(notes.length, 1, 'one log line');
  t.equal(notes[0]?.level, 30, 'at info');
  t.equal(notes[0]?.dir, missing);
});

t.test('with a build: assets served as files, client paths get index.html, server paths keep 404', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'govrelay-dist-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  const app = Fastify();
  await app.register(webPlugin, { dir });
  await app.ready();
  t.teardown(() => app.close());
  const html = { accept: 'text/html,application/xhtml+xml' };
  for (const path of ['/', '/spaces/x', '/proposals/0xabc?x=1', '/discord-ish/deep/path']) {
    const r = await app.inject({ method: 'GET', url: path, headers: html });
    t.equal(r.statusCode, 200, `${path} is the app`);
    t.match(r.headers['content-security-policy'], /frame-ancestors 'none'/);
  }
  for (const path of ['/api/x', '/docs/nope', '/health/x', '/metrics', '/ws/x', '/index.html']) {
    t.equal((await app.inject({ method: 'GET', url: path, headers: html })).statusCode, 404, `${path} is not the app`);
  }
  const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['cache-control'], /immutable/);
  t.equal((await app.inject({ method: 'POST', url: '/spaces/x', headers: html })).statusCode, 404, 'only GET');
});

t.test('GET /api/proposals/:id/rules: the rules fixed at creation, each stage resolved', async (t) => {
  const app = stack.app;
  t.equal(
    (
      await createSpace(stack, 'rules', {
        temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: (5n * TOKEN).toString() }, passThresholdBps: 5000 },
        consensus: { votingType: 'basic', period: 900, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
      })
    ).status,
    200,
  );
  const id = await propose(stack, app, { space: 'rules', title: 'Pick one', choices: ['A', 'B', 'C'], votingType: 'approval' });
  await vote(stack, app, 1, 'rules', id, '[1,2]');
  const r = await stack.get(`/api/proposals/${id}/rules`);
  t.equal(r.status, 200);
  t.equal(r.body.proposalId, id);
  t.equal(r.body.space, 'rules');
  const supply = 184n * TOKEN; // 100 + 50 + 25 + 9 minted by the stack
  t.match(r.body.stages[0], {
    stage: 1,
    votingType: 'approval',
    choices: ['A', 'B', 'C'],
    period: 600,
    quorum: (5n * TOKEN).toString(),
    passThresholdBps: 5000,
    end: String,
  });
  t.match(r.body.stages[1], {
    stage: 2,
    votingType: 'basic',
    choices: ['For', 'Against', 'Abstain'],
    period: 900,
    quorum: (supply / 10n).toString(),
    passThresholdBps: 6000,
    start: null,
  });
  t.equal(r.body.settings.consensus.votingType, 'basic');

  // A later change of the space does not change the proposal's rules (signed a second later: a
  // space change must be newer than the last).
  await new Promise((r) => setTimeout(r, 1100));
  t.equal(
    (
      await createSpace(stack, 'rules', {
        temperature: { votingType: 'single-choice', period: 60, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 9000 },
      })
    ).status,
    200,
  );
  t.same((await stack.get(`/api/proposals/${id}/rules`)).body, r.body);

  const missing = await stack.get(`/api/proposals/0x${'0'.repeat(64)}/rules`);
  t.equal(missing.status, 404);
  t.equal(missing.body.code, 'PROPOSAL_NOT_FOUND');
  t.equal((await stack.get('/api/proposals/nope/rules')).status, 400);
});
