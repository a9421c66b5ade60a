/**
 * The admin CLI: creates and updates spaces and creates proposals on a running govrelay server, as
 * signed messages (POST /api/messages), like a wallet would.
 *
 *   npm run govrelay -- space create --id <space> --file settings.json [--server URL]
 *   npm run govrelay -- space update --id <space> --file settings.json
 *   npm run govrelay -- proposal create --file proposal.json [--rpc URL]
 *   npm run govrelay -- submit --typed-data signed.json --signature 0x… [--file proposal.json]
 *
 * Signing: with GOVRELAY_PRIVATE_KEY set, the CLI signs and posts. With --print-typed-data (and
 * --from <address> when no key is set) it prints the EIP-712 typed data instead (the JSON an
 * eth_signTypedData_v4 call takes), for an external wallet; `submit` then posts that typed data with
 * the wallet's signature. The domain (chain id, salt) comes from the server's GET /api/info.
 *
 * proposal.json: { space, title, body?, discussion?, choices?, votingType?, snapshot?, execution?,
 * payload?: { targets, values, calldatas }, idea?, kind? }. Defaults: kind "default", choices For/Against/Abstain, votingType
 * "basic", execution "" (signal) or "timelock" when a payload is given, snapshot = the latest block − 1
 * read from --rpc or RPC_URL. payloadHash is computed from the payload.
 *
 * Exit codes: 0 done, 1 refused or failed (the server's code and message are printed), 2 usage.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JsonRpcProvider, Wallet, getAddress } from 'ethers';
import { MESSAGE_TYPES, typesFor, type Eip712Domain, type GovernanceType, type MessageByType } from '../server/eip712/types.js';
import { ZERO_HASH, hashPayload, parsePayload } from '../core/proposals/payload.js';
import type { ExecutionPayload } from '../core/proposals/repository.js';

export const USAGE = `usage: npm run govrelay -- <command> [options]

  space create --id <space> --file <settings.json>   sign and post a Space message for a new space
  space update --id <space> --file <settings.json>   the same for an existing space (its admins sign)
  proposal create --file <proposal.json>             sign and post a Proposal (payload hash computed)
  submit --typed-data <file> --signature <0x…>       post typed data signed by an external wallet
                                                     (--file <proposal.json> adds its payload)

options:
  --server <url>        the govrelay server (default $GOVRELAY_SERVER or http://127.0.0.1:3000)
  --print-typed-data    print the EIP-712 typed data to sign instead of signing (needs --from without a key)
  --from <address>      the signer's address when GOVRELAY_PRIVATE_KEY is not set
  --rpc <url>           chain node for the default proposal snapshot (default $RPC_URL)
  --timestamp <s>       the message timestamp (default: now)

GOVRELAY_PRIVATE_KEY: the key that signs (a space admin, a proposal author).`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

interface TypedData<P extends GovernanceType = GovernanceType> {
  domain: Eip712Domain;
  types: ReturnType<typeof typesFor>;
  primaryType: P;
  message: MessageByType[P];
}

function readJson(path: string, what: string): any {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

async function http(server: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the error message
  }
  return { status: response.status, body: parsed };
}

async function domainOf(server: string): Promise<Eip712Domain> {
  const info = await http(server, 'GET', '/api/info');
  if (info.status !== 200) throw new Error(`GET ${server}/api/info answered ${info.status}: ${JSON.stringify(info.body)}`);
  return info.body.domain as Eip712Domain;
}

async function defaultSnapshot(rpc: string | undefined): Promise<number> {
  if (!rpc) throw new UsageError('proposal.json has no snapshot: give one, or --rpc <url> (or RPC_URL) so the CLI can use the latest block − 1');
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true });
  try {
    return (await provider.getBlockNumber()) - 1;
  } finally {
    provider.destroy();
  }
}

function proposalMessage(
  file: any,
  from: string,
  timestamp: number,
  snapshot: number,
): { message: MessageByType['Proposal']; payload: ExecutionPayload | null } {
  if (typeof file !== 'object' || file === null) throw new UsageError('proposal.json must hold an object');
  for (const key of ['space', 'title'] as const) if (typeof file[key] !== 'string') throw new UsageError(`proposal.json: "${key}" (a string) is required`);
  const payload = file.payload === undefined || file.payload === null ? null : parsePayload(file.payload);
  return {
    payload,
    message: {
      from,
      space: file.space,
      timestamp,
      title: file.title,
      body: file.body ?? '',
      discussion: file.discussion ?? '',
      choices: file.choices ?? ['For', 'Against', 'Abstain'],
      votingType: file.votingType ?? 'basic',
      snapshot,
      execution: file.execution ?? (payload ? 'timelock' : ''),
      payloadHash: payload ? hashPayload(payload) : ZERO_HASH,
      idea: file.idea ?? '',
      kind: file.kind ?? 'default',
    },
  };
}

async function post(io: CliIo, server: string, envelope: Record<string, unknown>): Promise<number> {
  const result = await http(server, 'POST', '/api/messages', envelope);
  if (result.status !== 200) {
    const b = result.body as { code?: string; message?: string };
    io.err(`refused (${result.status}): ${b?.code ?? ''} ${b?.message ?? JSON.stringify(result.body)}`.trim());
    return 1;
  }
  io.out(JSON.stringify(result.body, null, 2));
  return 0;
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        id: { type: 'string' },
        file: { type: 'string' },
        server: { type: 'string' },
        'print-typed-data': { type: 'boolean' },
        from: { type: 'string' },
        rpc: { type: 'string' },
        timestamp: { type: 'string' },
        'typed-data': { type: 'string' },
        signature: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const server = (values.server ?? env.GOVRELAY_SERVER ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  try {
    const command = positionals.join(' ');
    if (command === 'submit') {
      if (!values['typed-data'] || !values.signature) throw new UsageError('submit needs --typed-data <file> and --signature <0x…>');
      const typed = readJson(values['typed-data'], 'typed data') as TypedData;
      const payload = values.file ? (readJson(values.file, 'proposal file').payload ?? null) : null;
      return await post(io, server, { address: typed.message.from, sig: values.signature, data: typed, ...(payload ? { payload } : {}) });
    }
    if (command !== 'space create' && command !== 'space update' && command !== 'proposal create') throw new UsageError(`unknown command "${command}"`);
    if (!values.file) throw new UsageError(`${command} needs --file <path>`);

    const key = env.GOVRELAY_PRIVATE_KEY;
    let wallet: Wallet | null = null;
    if (key) {
      try {
        wallet = new Wallet(key);
      } catch {
        throw new UsageError('GOVRELAY_PRIVATE_KEY is not a private key (0x and 64 hex digits)');
      }
    } else if (!values['print-typed-data']) {
      throw new UsageError('set GOVRELAY_PRIVATE_KEY to sign, or use --print-typed-data --from <address> to sign with an external wallet');
    }
    let from: string;
    try {
      from = wallet ? wallet.address : getAddress(values.from ?? '');
    } catch {
      throw new UsageError('--print-typed-data without GOVRELAY_PRIVATE_KEY needs --from <address>');
    }
    const timestamp = values.timestamp ? Number(values.timestamp) : Math.floor(Date.now() / 1000);
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new UsageError('--timestamp must be unix seconds');

    let typed: TypedData;
    let payload: ExecutionPayload | null = null;
    if (command.startsWith('space')) {
      if (!values.id) throw new UsageError(`${command} needs --id <space>`);
      const settings = readJson(values.file, 'settings file');
      const exists = (await http(server, 'GET', `/api/spaces/${encodeURIComponent(values.id)}`)).status === 200;
      if (command === 'space create' && exists) throw new Error(`space "${values.id}" already exists: use space update`);
      if (command === 'space update' && !exists) throw new Error(`space "${values.id}" does not exist: use space create`);
      const domain = await domainOf(server);
      typed = { domain, types: typesFor('Space'), primaryType: 'Space', message: { from, space: values.id, timestamp, settings: JSON.stringify(settings) } };
    } else {
      const file = readJson(values.file, 'proposal file');
      const snapshot = typeof file?.snapshot === 'number' ? file.snapshot : await defaultSnapshot(values.rpc ?? env.RPC_URL);
      const built = proposalMessage(file, from, timestamp, snapshot);
      payload = built.payload;
      typed = { domain: await domainOf(server), types: typesFor('Proposal'), primaryType: 'Proposal', message: built.message };
    }

    if (values['print-typed-data']) {
      io.out(JSON.stringify(typed, null, 2));
      return 0;
    }
    const sig = await wallet!.signTypedData(
      typed.domain,
      { [typed.primaryType]: [...MESSAGE_TYPES[typed.primaryType]] },
      typed.message as unknown as Record<string, unknown>,
    );
    return await post(io, server, { address: from, sig, data: typed, ...(payload ? { payload } : {}) });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`govrelay: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await runCli(process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t) });
  process.exitCode = code;
}
