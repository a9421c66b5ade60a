/**
 * GET /metrics on the server: the counters and gauges move with what happens (messages accepted and
 * refused by code, single and batched; request latency; WebSocket connections; live-tally stages;
 * the pg pool; voting-power preloads), in the Prometheus text format.
 */
import t from 'tap';
import { createSpace, latestBlock, startStack, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { connectWs } from '../helpers/ws-client.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { sampleOf } from '../helpers/prometheus.js';

async function scrape(stack: TestStack): Promise<{ text: string; value: (series: string) => number | undefined }> {
  const response = await stack.app.inject({ method: 'GET', url: '/metrics' });
  const text = response.body;
  return {
    text,
    value(series) {
      const sample = sampleOf(text, series);
      return sample === null ? undefined : Number(sample);
    },
  };
}

t.test('server metrics move with votes, refusals, requests and subscribers', async (t) => {
  const stack = await startStack({ config: { POWER_PRELOAD_MAX_HOLDERS: 1000 } });
  t.teardown(() => stack.close());
  const before = await scrape(stack);
  t.match((await stack.app.inject({ method: 'GET', url: '/metrics' })).headers['content-type'], /^text\/plain; version=0\.0\.4/);
  t.match(before.text, /# TYPE govrelay_server_messages_total counter/);
  t.equal(before.value('govrelay_server_db_pool_connections{state="max"}'), 10, 'the pool size');
  t.equal(before.value('govrelay_server_websocket_connections'), 0);

  const [, alice, bob, carol] = stack.wallets as any[];
  t.equal((await createSpace(stack, 'blocktrack')).status, 200);
  await mineBlocks(stack.chain.provider, 1);
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Metrics',
      body: 'b',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const proposal = created.body.id as string;
  const vote = (wallet: any, choice: string, timestamp = nowSeconds()) =>
    stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage: 1, timestamp, choice, reason: '' });

  t.equal((await stack.submit(await vote(alice, '1'))).status, 200);
  const badChoice = await stack.submit(await vote(bob, '9'));
  t.equal(badChoice.status, 400);
  const forged = { ...(await vote(carol, '1')), address: bob.address };
  const refused = await stack.submit(forged);
  t.ok(refused.status >= 400 && refused.status < 500);
  const batch = await stack.app.inject({ method: 'POST', url: '/api/messages/batch', payload: [await vote(bob, '2'), await vote(carol, '7')] as object[] });
  t.equal(batch.statusCode, 200);

  const ws = await (async () => {
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    return connectWs(stack.app);
  })();
  t.teardown(() => ws.close());

  const after = await scrape(stack);
  t.equal(after.value('govrelay_server_messages_total{type="Space",outcome="accepted",code=""}'), 1, 'the space');
  t.equal(after.value('govrelay_server_messages_total{type="Proposal",outcome="accepted",code=""}'), 1, 'the proposal');
  t.equal(after.value('govrelay_server_messages_total{type="Vote",outcome="accepted",code=""}'), 2, 'alice single, bob in the batch');
  t.equal(
    after.value(`govrelay_server_messages_total{type="Vote",outcome="refused",code="${badChoice.body.code}"}`),
    2,
    `${badChoice.body.code}: bob single, carol in the batch`,
  );
  t.equal(after.value(`govrelay_server_messages_total{type="Vote",outcome="refused",code="${refused.body.code}"}`), 1, `${refused.body.code}: the forged one`);
  t.ok(
    (after.value('govrelay_server_http_request_duration_seconds_count{method="POST",route="/api/messages",status="2xx"}') ?? 0) >= 3,
    'latency of the accepted messages',
  );
  t.equal(after.value('govrelay_server_http_request_duration_seconds_count{method="POST",route="/api/messages",status="4xx"}'), 2, 'and of the refused ones');
  t.equal(
    after.value('govrelay_server_http_request_duration_seconds_bucket{method="POST",route="/api/messages/batch",status="2xx",le="+Inf"}'),
    1,
    'histogram buckets',
  );
  t.equal(after.value('govrelay_server_websocket_connections'), 1, 'one WebSocket subscriber');
  t.equal(after.value('govrelay_server_live_tally_stages'), 1, 'the stage counted live');
  t.ok((after.value('govrelay_server_live_tally_lag_seconds') ?? -1) >= 0, 'live-tally lag reported');
  t.ok((after.value('govrelay_server_db_pool_connections{state="total"}') ?? 0) >= 1, 'pool connections in use or idle');
  await waitFor(async () => ((await scrape(stack)).value('govrelay_server_power_preload_runs{state="ready"}') ?? 0) >= 1, 20_000);
  t.pass('the preload of the proposal is reported ready');
  t.ok(((await scrape(stack)).value('govrelay_server_power_preload_voters{kind="found"}') ?? 0) >= 1, 'it found likely voters');
});
