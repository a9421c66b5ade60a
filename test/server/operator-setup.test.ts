/**
 * The operator path from the README: `npm run deploy -- --rpc <url>` on a chain without Multicall3
 * installs it (the server reads voting power through it), and /health says so when it is missing at
 * MULTICALL_ADDRESS instead of answering ok while every proposal is refused.
 */
import t from 'tap';
import { Wallet } from 'ethers';
import { startLocalChain } from '../../scripts/local-chain.js';
import { MULTICALL3_ADDRESS } from '../../scripts/multicall.js';
import { startStack, waitFor } from '../helpers/stack.js';
import { runCommand, type CommandResult } from '../helpers/run-command.js';

const run = (command: string, args: string[], env: Record<string, string>): Promise<CommandResult> =>
  runCommand(command, args, { ...process.env, NODE_OPTIONS: '', ...env });

t.test('npm run deploy -- --rpc installs Multicall3 when the chain has none', async (t) => {
  const chain = await startLocalChain();
  t.teardown(() => chain.stop());
  t.equal(await chain.provider.getCode(MULTICALL3_ADDRESS), '0x', 'a bare chain has no Multicall3');
  const [deployer, , , relayer, guardian] = chain.wallets as Wallet[];
  const result = await run(
    'npm',
    ['run', '--silent', 'deploy', '--', '--rpc', chain.rpcUrl, '--relayer', relayer!.address, '--guardian', guardian!.address, '--min-delay', '60', '--json'],
    { DEPLOYER_PRIVATE_KEY: deployer!.privateKey },
  );
  t.equal(result.code, 0, `deploy exits 0\n${result.stdout}\n${result.stderr}`);
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  t.equal(report.multicall, MULTICALL3_ADDRESS, 'reports the Multicall3 address');
  t.not(await chain.provider.getCode(MULTICALL3_ADDRESS), '0x', 'Multicall3 code is on chain');

  const again = await run(
    'npm',
    ['run', '--silent', 'deploy', '--', '--rpc', chain.rpcUrl, '--relayer', relayer!.address, '--guardian', guardian!.address, '--min-delay', '60'],
    { DEPLOYER_PRIVATE_KEY: deployer!.privateKey },
  );
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /Multicall3 at 0xcA11bde05977b3631167028862bE2a173976CA11 \(already there\)/, 'a second deploy finds it');
});

t.test('/health reports a missing Multicall3 and recovers once it is there', async (t) => {
  const missing = Wallet.createRandom().address;
  const stack = await startStack({ config: { MULTICALL_ADDRESS: missing } });
  t.teardown(() => stack.close());
  const health = await stack.get('/health');
  t.equal(health.status, 503);
  t.equal(health.body.status, 'degraded');
  t.match(health.body.checks.multicall, new RegExp(`no Multicall3 code at MULTICALL_ADDRESS ${missing}`), 'names the address');
  t.same({ ...health.body.checks, multicall: undefined }, { database: 'ok', redis: 'ok', chain: 'ok', multicall: undefined }, 'the other checks are fine');
  const { deployedBytecode } = (await import('../../scripts/compile-contracts.js')).loadArtifact('Multicall3');
  await stack.chain.provider.send('hardhat_setCode', [missing, deployedBytecode]);
  await stack.chain.provider.send('hardhat_mine', ['0x1']);
  // /health shares one check for 1 s (HEALTH_CACHE_MS): the next check after that sees the code.
  const healthy = await waitFor(async () => {
    const answer = await stack.get('/health');
    return answer.status === 200 && answer;
  }, 5_000);
  t.equal(healthy.status, 200);
  t.same(healthy.body, { status: 'ok', checks: { database: 'ok', redis: 'ok', chain: 'ok' } });
});
