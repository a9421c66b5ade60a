/**
 * A development chain one can vote on at once (`npm run deploy -- --mint --demo-space <id>`, the
 * docker-compose dev chain): BTK minted to dev accounts 1–3 (100, 50, 25), each delegating to itself,
 * 1,000 BTK in the treasury (the timelock), and a demo space created on the server through the admin
 * CLI (scripts/govrelay.ts) as soon as the server answers. Development keys only (hardhat's mnemonic).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contract, Wallet } from 'ethers';
import { runCli } from './govrelay.js';

const TOKEN = 10n ** 18n;
export const DEMO_HOLDINGS: readonly [number, bigint][] = [
  [1, 100n * TOKEN],
  [2, 50n * TOKEN],
  [3, 25n * TOKEN],
];
export const DEMO_TREASURY = 1000n * TOKEN;

/** Mints to dev accounts 1–3 (each delegates to itself) and funds the treasury; `wallets` are the dev accounts, [0] owns the token. */
export async function mintDemoHolders(token: Contract, wallets: Wallet[], treasury: string): Promise<void> {
  for (const [index, amount] of DEMO_HOLDINGS) {
    const holder = wallets[index]!;
    await (await token.getFunction('mint')(holder.address, amount)).wait();
    await (await (token.connect(holder) as Contract).getFunction('delegate')(holder.address)).wait();
  }
  await (await token.getFunction('mint')(treasury, DEMO_TREASURY)).wait();
}

export function demoSpaceSettings(options: { chainId: number; token: string; admin: string; timelock: string; governor: string; periodS?: number }) {
  const period = options.periodS ?? 600;
  return {
    name: 'Demo DAO (dev chain)',
    chainId: options.chainId,
    token: options.token,
    admins: [options.admin],
    strategies: [{ name: 'token-weighted', params: { address: options.token } }],
    proposalGate: { kind: 'power', minPower: '1' },
    temperature: { votingType: 'proposal', period, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
    executor: options.timelock,
    governor: options.governor,
  };
}

/** Waits for the server's /health, then creates the space (an existing one is left alone). Resolves with a sentence for the log. */
export async function createDemoSpace(options: {
  server: string;
  id: string;
  adminKey: string;
  settings: object;
  waitMs?: number;
  signal?: AbortSignal;
}): Promise<string> {
  const deadline = Date.now() + (options.waitMs ?? 10 * 60_000);
  for (;;) {
    if (options.signal?.aborted) return 'stopped before the server answered';
    const ok = await fetch(`${options.server}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`the server at ${options.server} did not answer /health within ${Math.round((options.waitMs ?? 600_000) / 1000)} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  if ((await fetch(`${options.server}/api/spaces/${encodeURIComponent(options.id)}`)).status === 200) return `space "${options.id}" already exists`;
  const dir = mkdtempSync(join(tmpdir(), 'govrelay-seed-'));
  try {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify(options.settings));
    const errors: string[] = [];
    const code = await runCli(
      ['space', 'create', '--id', options.id, '--file', file, '--server', options.server],
      { out: () => undefined, err: (t) => errors.push(t) },
      { GOVRELAY_PRIVATE_KEY: options.adminKey },
    );
    if (code !== 0) throw new Error(`creating space "${options.id}" failed: ${errors.join(' ')}`);
    return `space "${options.id}" created on ${options.server}/api/spaces/${options.id}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
