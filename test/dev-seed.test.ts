/**
 * What the compose dev chain runs (the Dockerfile's devchain CMD), without Docker:
 * `npm run deploy -- --mint --demo-space demo --server <url>` starts a chain, deploys the DAO, mints
 * BTK to dev accounts 1–3 (self-delegated) and creates the space "demo" on the server once it answers,
 * so one can vote at once: a dev account's vote is accepted with its voting power.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Contract, HDNodeWallet, JsonRpcProvider } from 'ethers';
import { projectRoot } from '../core/project-root.js';
import { DEV_MNEMONIC, freePort } from '../scripts/local-chain.js';
import { loadConfig } from '../core/config.js';
import { buildApp } from '../server/app.js';
import { MULTICALL3_ADDRESS } from '../scripts/multicall.js';
import { createTestDatabase } from './helpers/database.js';
import { waitFor } from './helpers/stack.js';
import { nowSeconds, signEnvelope } from './helpers/messages.js';
import { ZERO_HASH } from '../core/proposals/payload.js';

t.test('the dev chain mints and creates a demo space one can vote in', async (t) => {
  const [chainPort, serverPort] = [await freePort(), await freePort()];
  const server = `http://127.0.0.1:${serverPort}`;
  const child = spawn('npm', ['run', '--silent', 'deploy', '--', '--port', String(chainPort), '--mint', '--demo-space', 'demo', '--server', server], {
    cwd: projectRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
  });
  await waitFor(async () => output.includes('minted BTK'), 240_000, 200).catch(() => {
    throw new Error(`the deploy did not get to minting:\n${output}`);
  });

  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      RPC_URL: rpcUrl,
      CHAIN_ID: 31337,
      MULTICALL_ADDRESS: MULTICALL3_ADDRESS,
      REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
      RATE_LIMIT_PER_MINUTE: 1_000_000,
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: serverPort });
  t.teardown(() => app.close());

  await waitFor(async () => output.includes('space "demo" created'), 60_000, 200).catch(() => {
    throw new Error(`no demo space:\n${output}`);
  });
  const space = (await (await fetch(`${server}/api/spaces/demo`)).json()) as any;
  t.equal(space.settings.name, 'Demo DAO (dev chain)');
  const dev = (i: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  t.teardown(() => provider.destroy());
  t.not(await provider.getCode(MULTICALL3_ADDRESS), '0x', 'Multicall3 in place');
  const token = new Contract(space.settings.token, ['function getVotes(address) view returns (uint256)'], provider);
  t.equal(await token.getFunction('getVotes')(dev(1).address), 100n * 10n ** 18n, 'dev account 1 holds 100 BTK of votes');
  t.equal(
    space.settings.executor,
    (await provider.getCode(space.settings.executor)) !== '0x' ? space.settings.executor : 'no code',
    'the executor is the deployed timelock',
  );

  // One can vote: dev account 1 proposes, dev account 2 votes in the temperature check.
  await provider.send('hardhat_mine', ['0x2']);
  const domain = ((await (await fetch(`${server}/api/info`)).json()) as any).domain;
  const post = async (body: unknown) => {
    const r = await fetch(`${server}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as any };
  };
  const snapshot = (await provider.getBlockNumber()) - 1;
  const proposal = await post(
    await signEnvelope(
      dev(1) as any,
      'Proposal',
      {
        from: dev(1).address,
        space: 'demo',
        timestamp: nowSeconds(),
        title: 'First',
        body: '',
        discussion: '',
        choices: ['For', 'Against', 'Abstain'],
        votingType: 'basic',
        snapshot,
        execution: '',
        payloadHash: ZERO_HASH,
        idea: '',
        kind: 'default',
      },
      { domain },
    ),
  );
  t.equal(proposal.status, 200, JSON.stringify(proposal.body));
  const proposalId = proposal.body.id as string;
  await waitFor(async () => ((await (await fetch(`${server}/api/proposals/${proposalId}`)).json()) as any).state === 'temperature', 20_000);
  const vote = await post(
    await signEnvelope(
      dev(2) as any,
      'Vote',
      { from: dev(2).address, space: 'demo', proposal: proposalId, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' },
      { domain },
    ),
  );
  t.equal(vote.status, 200, JSON.stringify(vote.body));
  const tally = (await (await fetch(`${server}/api/proposals/${proposalId}/tally`)).json()) as any;
  t.match(JSON.stringify(tally), /50000000000000000000/, "dev account 2's 50 BTK counted");
});
