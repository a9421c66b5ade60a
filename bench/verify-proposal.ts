/**
 * The verify command on one big proposal, chain reads included (issue 17's `verify_100k_votes_s`):
 *
 *   npx tsx bench/verify-proposal.ts [votes]     (default VERIFY_BENCH_VOTES, 100000)
 *
 * The stack is bench/web.ts's: a hardhat chain with Multicall3 and a BenchToken whose holders are
 * funded with mintMany, a scratch PostgreSQL database, a Redis prefix of its own and the govrelay app
 * in this process (production settings, the log on). The votes arrive over POST /api/messages/batch,
 * signed with digest.ts + libsecp256k1. Then `verify/cli.ts --json` runs as a child process, as a
 * member runs it (`node --import tsx`, so its CPU is its own and not the server's), under
 * /usr/bin/time for its CPU seconds. VERIFY_BENCH_CPU_PROF=<folder> adds --cpu-prof to that child.
 * The machine's load average (uptime) is read before and after: other processes on the cores make
 * the wall time longer than the CPU seconds explain.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { id as textHash } from 'ethers';
import { compileContracts } from '../scripts/compile-contracts.js';
import { deployContract, mineBlocks } from '../scripts/local-chain.js';
import { projectRoot } from '../core/project-root.js';
import { benchVoters, createSpaceAndProposal, fundHolders, postVoteBatches, startChainAndDatabase, startInProcessApp, voteSigner } from './in-process-stack.js';
import { runAsScript } from './run-as-script.js';

const TOKEN = 10n ** 18n;
const SPACE_ID = 'verifybench';
const DEPLOYMENT_SALT = textHash('govrelay verify bench deployment');
const RECEIPT_KEY = textHash('govrelay verify bench receipt key');
const VOTER_SEED = keccak_256(Buffer.from('govrelay verify bench voters v1'));
/** `npm run verify`'s node flags (package.json): a larger young generation, as the server runs with (most of verify's objects are short-lived page items). */
const VERIFY_NODE_FLAGS = ['--max-semi-space-size=64'];
const BATCH_SIZE = 500;
const now = () => Math.floor(Date.now() / 1000);

export interface VerifyProposalBenchOptions {
  votes?: number;
  /** A folder: the verify child runs with --cpu-prof and writes its profile there. */
  cpuProfDir?: string | undefined;
  log?: (message: string) => void;
}

export interface VerifyProposalBenchResult {
  votes: number;
  /** Wall time of the verify command (child process start to exit). */
  seconds: number;
  /** CPU seconds of the verify process (user + system, /usr/bin/time). */
  cpuSeconds: number;
  ok: boolean;
  differences: number;
  firstDifferences: unknown[];
  checked: Record<string, string>;
  /** 1-minute load average before and after the verify command (other processes on the cores). */
  loadBefore: number;
  loadAfter: number;
  setupSeconds: number;
}

/** Runs the verify command as a child process under /usr/bin/time; its JSON report, wall and CPU seconds. */
export function runVerifyCommand(
  args: string[],
  cpuProfDir: string | undefined,
): Promise<{ seconds: number; cpuSeconds: number; exitCode: number; stdout: string; stderr: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'verify-bench-'));
  const timeFile = join(scratch, 'time');
  const node = [
    process.execPath,
    ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
    ...VERIFY_NODE_FLAGS,
    '--import',
    'tsx',
    'verify/cli.ts',
    ...args,
  ];
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, ...node], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', fail);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      try {
        const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        done({ seconds, cpuSeconds: user! + system!, exitCode: code ?? -1, stdout, stderr });
      } catch (error) {
        fail(error);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

export async function benchmarkVerifyProposal(options: VerifyProposalBenchOptions = {}): Promise<VerifyProposalBenchResult> {
  const votes = options.votes ?? 100_000;
  const log = options.log ?? ((m: string) => console.log(`[verify-proposal] ${m}`));
  const setupStarted = performance.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await compileContracts();
    const { chain, databaseUrl, multicall } = await startChainAndDatabase('govrelay_bench_verify', cleanups);
    const owner = chain.wallets[0]!;
    const token = await deployContract(owner, 'BenchToken', ['Verify Bench', 'VBT']);
    const tokenAddress = (token.target as string).toLowerCase();
    const voters = benchVoters(VOTER_SEED, votes);
    log(`funding ${votes} holders`);
    await (await token.getFunction('mintMany')([owner.address], 1000n * TOKEN)).wait();
    await fundHolders(owner, token, voters.addresses);
    await mineBlocks(chain.provider, 2);

    const server = await startInProcessApp(
      { name: 'verify', chain, databaseUrl, multicall, deploymentSalt: DEPLOYMENT_SALT, receiptKey: RECEIPT_KEY },
      cleanups,
    );
    const { base, domain } = server;
    const id = await createSpaceAndProposal(server, {
      chain,
      owner,
      tokenAddress,
      spaceId: SPACE_ID,
      spaceName: 'Verify bench',
      title: `${votes.toLocaleString('en')} votes`,
      body: 'The verify command on a big proposal.',
    });
    const signVote = voteSigner(domain);
    const stamp = now();
    log(`posting ${votes} votes in batches of ${BATCH_SIZE}`);
    await postVoteBatches(server, votes, BATCH_SIZE, (i) =>
      signVote(voters.keys[i]!, {
        from: voters.addresses[i]!,
        space: SPACE_ID,
        proposal: id,
        stage: 1,
        timestamp: stamp,
        choice: String(1 + (i % 3)),
        reason: '',
      }),
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    log(`npm run verify on ${id} (${votes} votes, --rpc)`);
    const loadBefore = loadavg()[0]!;
    const run = await runVerifyCommand(['--server', base, '--rpc', chain.rpcUrl, '--multicall', multicall, '--json', id], options.cpuProfDir);
    const loadAfter = loadavg()[0]!;
    if (run.exitCode === 2) throw new Error(`verify exited with 2: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { ok: boolean; differences: unknown[]; checked: Record<string, string> };
    log(`${run.seconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} CPU s, load ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}; ok ${report.ok}`);
    return {
      votes,
      seconds: Math.round(run.seconds * 100) / 100,
      cpuSeconds: Math.round(run.cpuSeconds * 100) / 100,
      ok: report.ok,
      differences: report.differences.length,
      firstDifferences: report.differences.slice(0, 5),
      checked: report.checked,
      loadBefore: Math.round(loadBefore * 100) / 100,
      loadAfter: Math.round(loadAfter * 100) / 100,
      setupSeconds: Math.round(setupSeconds * 10) / 10,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const raw = process.argv[2] ?? process.env.VERIFY_BENCH_VOTES;
  const votes = raw ? Number(raw) : 100_000;
  if (!Number.isInteger(votes) || votes < 1) throw new Error(`votes must be an integer >= 1 (got ${raw})`);
  const result = await benchmarkVerifyProposal({ votes, cpuProfDir: process.env.VERIFY_BENCH_CPU_PROF || undefined });
  console.log(JSON.stringify(result, null, 2));
}

await runAsScript(import.meta.url, 'verify-proposal', main);
