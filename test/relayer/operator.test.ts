/**
 * Operator tools for the execution relay, on a real stack: the admin endpoints (bearer ADMIN_TOKEN),
 * the CLI (in-process and as `npm run relayer:cli`), and the relayer's /health and /metrics.
 *
 * The story: a grant passes, the relayer schedules it into a 7-day timelock whose treasury is empty.
 * status/list show it; a dry run simulates what is left and shows the grant would revert; cancel-job
 * parks it so nothing runs when the delay is over; retry brings it back and the execution fails on the
 * empty treasury (counted in the metrics); the treasury is funded, a dry run now passes, and a retry
 * executes it exactly once.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';
import { TIMELOCK_TOPICS } from '../../core/executions/chain.js';
import { runCli } from '../../relayer/cli.js';
import { startRelayerHttp } from '../../relayer/http.js';
import { createRelayer } from '../../relayer/relayer.js';
import { GRANT, passGrant } from '../helpers/relay-flow.js';
import { runCommand, type CommandResult } from '../helpers/run-command.js';
import { sampleOf } from '../helpers/prometheus.js';

const ADMIN_TOKEN = 'operator-test-admin-token-0123456789';
const silent = pino({ level: 'silent' });

/** Creates the space (executor = the timelock; the treasury stays empty) and passes a grant through both stages. */
async function passGrantFromEmptyTreasury(stack: TestStack, title: string): Promise<string> {
  const grantee = stack.wallets[6]!;
  const space = await createSpace(stack, 'blocktrack', {
    executor: stack.dao!.addresses.timelock,
    temperature: { votingType: 'basic', period: 3, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 3, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
  });
  if (space.status !== 200) throw new Error(JSON.stringify(space.body));
  await await stack.chain.provider.send('evm_mine', []);
  return (await passGrant(stack, title, { grantee: grantee.address, body: '' })).id;
}

function cli(stack: TestStack, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return runCli(argv, stack.config, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) }, silent).then((code) => ({ code, out, err }));
}

function cliProcess(stack: TestStack, args: string[]): Promise<CommandResult> {
  const c = stack.config;
  return runCommand('npm', ['run', '--silent', 'relayer:cli', '--', ...args], {
    ...process.env,
    NODE_OPTIONS: '',
    LOG_LEVEL: 'silent',
    DATABASE_URL: c.DATABASE_URL,
    REDIS_URL: c.REDIS_URL,
    REDIS_PREFIX: c.REDIS_PREFIX,
    RPC_URL: c.RPC_URL,
    CHAIN_ID: String(c.CHAIN_ID),
    MULTICALL_ADDRESS: c.MULTICALL_ADDRESS,
    RELAYER_ADDRESS: stack.dao!.relayerWallet.address,
    RELAYER_PRIVATE_KEY: '',
  });
}

t.test('operator CLI, admin endpoints and relayer metrics: status, list, dry-run, cancel-job, retry', async (t) => {
  const stack = await startStack({ dao: {} });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  const admin = await stack.startApp({ ADMIN_TOKEN });
  const relayer = await stack.startRelayer();
  const http = await startRelayerHttp(relayer, { host: '127.0.0.1', port: 0 });
  t.teardown(() => http.close());
  const grantee = stack.wallets[6]!;
  const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = bearer) => {
    const r = await admin.inject({ method, url, headers });
    return { status: r.statusCode, body: r.json() };
  };

  const id = await passGrantFromEmptyTreasury(stack, 'A grant from an empty treasury');
  const row = await waitFor(async () => {
    const e = (await stack.get(`/api/proposals/${id}`)).body.executionStatus;
    return e?.status === 'scheduled' ? e : null;
  }, 30_000);

  await t.test('admin endpoints need the bearer token', async (t) => {
    const off = await stack.app.inject({ method: 'GET', url: '/api/admin/executions', headers: bearer });
    t.equal(off.statusCode, 404, 'off without ADMIN_TOKEN');
    t.equal(off.json().code, 'ADMIN_DISABLED');
    for (const [method, url] of [
      ['GET', '/api/admin/executions'],
      ['GET', `/api/admin/executions/${id}`],
      ['GET', `/api/admin/executions/${id}/dry-run`],
      ['POST', `/api/admin/executions/${id}/retry`],
      ['POST', `/api/admin/executions/${id}/cancel-job`],
    ] as const) {
      const none = await call(method, url, {});
      t.equal(none.status, 401, `${method} ${url} without a token`);
      t.equal(none.body.code, 'UNAUTHORIZED');
      t.equal((await call(method, url, { authorization: 'Bearer not-the-admin-token-at-all' })).status, 401, `${method} ${url} with a wrong token`);
    }
    t.equal((await execution()).status, 'scheduled', 'the refused cancel-job changed nothing');
    const docs = (await admin.inject({ method: 'GET', url: '/docs/json' })).json();
    t.ok(docs.paths['/api/admin/executions/{id}/dry-run'], 'the endpoints are in the OpenAPI document');
  });

  async function execution() {
    return (await call('GET', `/api/admin/executions/${id}`)).body.execution;
  }

  await t.test('status and list', async (t) => {
    const status = await call('GET', `/api/admin/executions/${id}`);
    t.equal(status.status, 200);
    t.equal(status.body.execution.status, 'scheduled');
    t.equal(status.body.execution.operationId, row.operationId);
    t.equal(status.body.plan.operationId, row.operationId, 'derived id = recorded id');
    t.equal(status.body.chain.operationState, 'Waiting');
    t.equal(status.body.jobs.find((j: any) => j.name === 'timelock-execute')?.state, 'delayed', 'the execute job waits for the ready time');
    t.ok(status.body.pins.every((p: any) => p.ok));

    const listed = await call('GET', '/api/admin/executions?status=scheduled,failed&limit=10');
    t.equal(listed.status, 200);
    t.same(
      listed.body.items.map((e: any) => e.proposalId),
      [id],
    );
    t.same((await call('GET', '/api/admin/executions?status=executed')).body.items, []);
    t.equal((await call('GET', '/api/admin/executions?status=bogus')).status, 400);
    const unknown = `0x${randomBytes(32).toString('hex')}`;
    const missing = await call('GET', `/api/admin/executions/${unknown}`);
    t.equal(missing.status, 404);
    t.equal(missing.body.code, 'EXECUTION_NOT_FOUND');
    t.equal((await call('GET', '/api/admin/executions/0x1234')).status, 400, 'a malformed id is refused');

    const text = await cli(stack, ['status', id]);
    t.equal(text.code, 0);
    t.match(text.out, /execution: scheduled/);
    t.match(text.out, new RegExp(`timelock-execute-${id}  delayed`));
    t.match(text.out, /operation Waiting, ready at/);
    const json = await cli(stack, ['list', '--status', 'scheduled', '--json']);
    t.equal(json.code, 0);
    t.same(
      JSON.parse(json.out).map((e: any) => [e.proposalId, e.status]),
      [[id, 'scheduled']],
    );
    t.equal((await cli(stack, ['status', unknown])).code, 1, 'an unknown proposal exits 1');
    t.equal((await cli(stack, ['status', '0x12'])).code, 2, 'a malformed id is a usage error');
    t.equal((await cli(stack, ['list', '--status', 'nope'])).code, 2);
    const usage = await cli(stack, ['frobnicate']);
    t.equal(usage.code, 2);
    t.match(usage.err, /usage: npm run relayer:cli/);
  });

  await t.test('dry-run simulates what is left and sends nothing', async (t) => {
    const nonce = await provider.getTransactionCount(dao.relayerWallet.address);
    const block = await latestBlock(stack);
    const dry = await call('GET', `/api/admin/executions/${id}/dry-run`);
    t.equal(dry.status, 200);
    t.equal(dry.body.step, 'timelock-execute');
    t.same(
      dry.body.remaining.map((s: any) => s.step),
      ['timelock-execute'],
    );
    t.equal(dry.body.simulation.ok, false, 'executeBatch before the ready time is refused by the timelock');
    t.match(dry.body.simulation.error, /TimelockUnexpectedOperationState/);
    t.equal(dry.body.calls.length, 1);
    t.equal(dry.body.calls[0].simulation.ok, false, 'the grant itself would revert: the treasury is empty');
    t.match(dry.body.calls[0].simulation.error, /ERC20InsufficientBalance/);
    const text = await cli(stack, ['dry-run', id]);
    t.equal(text.code, 0);
    t.match(text.out, /nothing is sent/);
    t.match(text.out, /timelock-execute: executeBatch on 0x[0-9a-fA-F]{40}, at the ready time/);
    t.match(text.out, /payload calls \(simulated now from the timelock.*\n.*reverts: .*ERC20InsufficientBalance/);
    t.equal(await provider.getTransactionCount(dao.relayerWallet.address), nonce, 'no transaction was sent');
    t.equal(await latestBlock(stack), block, 'no block was mined');
  });

  await t.test('cancel-job parks the execution: nothing runs after the delay', async (t) => {
    const cancelled = await cli(stack, ['cancel-job', id]);
    t.equal(cancelled.code, 0);
    t.match(cancelled.out, new RegExp(`removed jobs: timelock-execute-${id}`));
    t.match(cancelled.out, /execution failed \(parked until `retry`/);
    const e = await execution();
    t.equal(e.status, 'failed');
    t.match(e.reason, /^cancelled-by-operator: /);
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    await new Promise((r) => setTimeout(r, 2000)); // four reconciler passes
    t.equal((await execution()).status, 'failed', 'the reconciler did not bring it back');
    const status = (await call('GET', `/api/admin/executions/${id}`)).body;
    t.equal(status.chain.operationState, 'Ready');
    t.notOk(
      status.jobs.some((j: any) => j.name === 'timelock-execute'),
      'no execute job',
    );
    t.equal((await provider.getLogs({ address: dao.addresses.timelock, topics: [TIMELOCK_TOPICS.CallExecuted], fromBlock: 0 })).length, 0, 'not executed');
  });

  await t.test('retry resumes it; the empty treasury makes it fail, counted in the metrics', async (t) => {
    const retried = await call('POST', `/api/admin/executions/${id}/retry`);
    t.equal(retried.status, 200);
    t.same(retried.body, { status: 'scheduled', step: 'timelock-execute' });
    const failed = await waitFor(async () => {
      const e = await execution();
      return e.status === 'failed' ? e : null;
    }, 30_000);
    t.match(failed.reason, /^reverted: .*ERC20InsufficientBalance/, 'failed permanently with the decoded revert');

    const response = await fetch(`${http.url}/metrics`);
    t.equal(response.status, 200);
    t.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    t.match(text, /# TYPE govrelay_execution_jobs gauge/);
    t.equal(sampleOf(text, 'govrelay_executions{status="failed"}'), '1');
    t.equal(sampleOf(text, 'govrelay_executions{status="scheduled"}'), '0');
    t.equal(sampleOf(text, 'govrelay_execution_jobs{state="failed"}'), '1', 'the failed execute job');
    t.equal(sampleOf(text, 'govrelay_execution_jobs{state="delayed"}'), '0');
    t.ok(Number(sampleOf(text, 'govrelay_relayer_job_failures_total{step="timelock-execute"}')) >= 1, 'the failure is counted');
    const balance = await provider.getBalance(dao.relayerWallet.address);
    t.equal(sampleOf(text, `govrelay_relayer_balance_wei{address="${dao.relayerWallet.address}"}`), balance.toString());
    t.equal(sampleOf(text, 'govrelay_relayer_low_balance'), '0');
    t.equal(sampleOf(text, 'govrelay_relayer_up'), '1');
    t.equal(sampleOf(text, 'govrelay_metrics_source_up{source="chain"}'), '1');

    const health = await fetch(`${http.url}/health`);
    t.equal(health.status, 200);
    const report = (await health.json()) as any;
    t.equal(report.status, 'ok');
    t.same(report.checks, { database: 'ok', redis: 'ok', chain: 'ok', worker: 'ok', reconciler: 'ok' });
    t.same(report.warnings, []);
    t.equal((await fetch(`${http.url}/other`)).status, 404);
  });

  await t.test('funded, a dry run passes, and a retry executes it once', async (t) => {
    await (await stack.token.getFunction('mint')(dao.addresses.timelock, 100n * TOKEN)).wait();
    const dry = JSON.parse((await cli(stack, ['dry-run', id, '--json'])).out);
    t.equal(dry.step, 'timelock-execute');
    t.equal(dry.simulation.ok, true, 'executeBatch simulates');
    t.equal(dry.calls[0].simulation.ok, true, 'the grant simulates');
    t.equal(dry.refusal, null);
    const retried = await cli(stack, ['retry', id]);
    t.equal(retried.code, 0);
    t.match(retried.out, /execution scheduled: queued step timelock-execute/);
    const executed = await waitFor(async () => {
      const e = await execution();
      return e.status === 'executed' ? e : null;
    }, 30_000);
    const logs = await provider.getLogs({ address: dao.addresses.timelock, topics: [TIMELOCK_TOPICS.CallExecuted], fromBlock: 0 });
    t.equal(logs.length, 1, 'executed once');
    t.equal(logs[0]!.transactionHash, executed.executeTx);
    t.equal(await stack.token.getFunction('balanceOf')(grantee.address), GRANT, 'the grant was paid');
    t.equal((await cli(stack, ['retry', id])).out.trim(), 'execution executed: nothing to queue', 'a retry of an executed one does nothing');
    const after = (await call('GET', `/api/admin/executions/${id}/dry-run`)).body;
    t.equal(after.step, null);
    t.equal(after.action, 'nothing: already executed');
    const text = await relayer.metrics();
    t.equal(sampleOf(text, 'govrelay_executions{status="executed"}'), '1');
    t.equal(sampleOf(text, 'govrelay_executions{status="failed"}'), '0');
  });

  await t.test('low balance: a warning flag in the metrics and a warning in /health', async (t) => {
    const watcher = await createRelayer(
      { ...stack.config, RELAYER_LOW_BALANCE_WEI: (10n ** 30n).toString() },
      { worker: false, reconciler: false, logger: silent },
    );
    t.teardown(() => watcher.close());
    const text = await watcher.metrics();
    t.equal(sampleOf(text, 'govrelay_relayer_low_balance'), '1');
    t.equal(sampleOf(text, 'govrelay_relayer_low_balance_threshold_wei'), (10n ** 30n).toString());
    t.equal(sampleOf(text, 'govrelay_relayer_up'), null, 'no worker in this process, no worker metric');
    const health = await watcher.health();
    t.equal(health.status, 'ok', 'a low balance does not make the relayer unhealthy');
    t.same(Object.keys(health.checks).sort(), ['chain', 'database', 'redis']);
    t.match(health.warnings[0], /below RELAYER_LOW_BALANCE_WEI/);
    const cliMetrics = await cli(stack, ['metrics']);
    t.equal(cliMetrics.code, 0);
    t.match(cliMetrics.out, /govrelay_executions\{status="executed"\} 1/);
  });

  await t.test('npm run relayer:cli, as a process without the relayer key', async (t) => {
    const status = await cliProcess(stack, ['status', id, '--json']);
    t.equal(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout);
    t.equal(report.execution.status, 'executed');
    t.equal(report.chain.operationState, 'Done');
    const bad = await cliProcess(stack, ['frobnicate']);
    t.equal(bad.code, 2);
    t.match(bad.stderr, /unknown command "frobnicate"/);
  });
});
