/**
 * npm run verify -- --server <url> [--rpc <url>] [--multicall <address>] [--anchor <address> [--anchor-from-block <n>]] [--json] <proposalId>
 *
 * Exit codes: 0 everything matches; 1 a difference was found; 2 a usage error or a failure to read
 * what the check needs (the server or the chain did not answer).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, reportJson } from './report.js';
import { verifyProposal, type VerifyOptions } from './verify.js';

const USAGE =
  'usage: npm run verify -- --server <url> [--rpc <url>] [--multicall <address>] [--anchor <address> [--anchor-from-block <n>]] [--max-future-s 300] [--json] <proposalId>';

export function parseArgs(argv: string[]): { options: VerifyOptions; json: boolean } | string {
  let server = process.env.GOVRELAY_SERVER;
  let rpc: string | undefined;
  let multicall: string | undefined;
  let maxFutureSeconds: number | undefined;
  let anchor: string | undefined;
  let anchorFromBlock: number | undefined;
  let json = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    try {
      if (arg === '--server') server = value();
      else if (arg === '--rpc') rpc = value();
      else if (arg === '--multicall') multicall = value();
      else if (arg === '--max-future-s') maxFutureSeconds = Number(value());
      else if (arg === '--anchor') anchor = value();
      else if (arg === '--anchor-from-block') anchorFromBlock = Number(value());
      else if (arg === '--json') json = true;
      else if (arg.startsWith('--')) return `unknown option ${arg}`;
      else positional.push(arg);
    } catch (error) {
      return (error as Error).message;
    }
  }
  if (!server) return '--server is required (or GOVRELAY_SERVER)';
  if (positional.length !== 1 || !/^0x[0-9a-fA-F]{64}$/.test(positional[0]!)) return 'one proposal id (0x + 64 hex digits) is required';
  if (maxFutureSeconds !== undefined && !(Number.isInteger(maxFutureSeconds) && maxFutureSeconds >= 0)) return '--max-future-s must be a non-negative integer';
  if (anchor !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(anchor)) return '--anchor must be a contract address (0x + 40 hex digits)';
  if (anchor !== undefined && !rpc) return '--anchor needs --rpc (the chain the anchor contract is on)';
  if (anchorFromBlock !== undefined && anchor === undefined) return '--anchor-from-block needs --anchor';
  if (anchorFromBlock !== undefined && !(Number.isSafeInteger(anchorFromBlock) && anchorFromBlock >= 0))
    return '--anchor-from-block must be a non-negative integer';
  return {
    options: {
      server,
      proposalId: positional[0]!,
      rpc,
      multicall,
      maxFutureSeconds,
      ...(anchor ? { anchor: { address: anchor, fromBlock: anchorFromBlock } } : {}),
    },
    json,
  };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  try {
    const report = await verifyProposal(parsed.options);
    console.log(parsed.json ? reportJson(report) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    console.error(`verify failed: ${(error as Error).message}`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
