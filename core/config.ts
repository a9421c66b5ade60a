/**
 * Configuration is read from the environment once, here, into a typed object that is passed to
 * everything else. Nothing outside this file reads process.env.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { GovrelayError } from './errors.js';

const DecimalString = Type.String({ pattern: '^[0-9]+$' });

export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', default: 'postgresql://postgres@127.0.0.1:5432/test' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  /** Prefix for every Redis key, queue and channel: lets several deployments (or tests) share a Redis. */
  REDIS_PREFIX: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$', default: 'govrelay' }),
  RPC_URL: Type.String({ pattern: '^(https?|wss?)://', default: 'http://127.0.0.1:8545' }),
  CHAIN_ID: Type.Integer({ minimum: 1, default: 31337 }),
  MULTICALL_ADDRESS: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', default: '0xcA11bde05977b3631167028862bE2a173976CA11' }),
  /** Per-deployment salt in the EIP-712 domain: a signature for one govrelay deployment never counts in another. */
  DEPLOYMENT_SALT: Type.String({ pattern: '^0x[0-9a-fA-F]{64}$', default: '0x0000000000000000000000000000000000000000000000000000000000000000' }),
  /** Key the server signs the log's tree heads (every receipt's) and final stage results with. Required in production. */
  RECEIPT_PRIVATE_KEY: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' })),
  /** Signed timestamps older than this (seconds) are rejected. */
  MESSAGE_MAX_AGE_S: Type.Integer({ minimum: 1, default: 3600 }),
  /** Signed timestamps further in the future than this (seconds) are rejected. */
  MESSAGE_MAX_FUTURE_S: Type.Integer({ minimum: 0, default: 300 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 100_000 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  // ── HTTP connection limits (server/http/timeouts.ts): slow clients cannot hold sockets ──
  /** The request line and headers must arrive within this time. */
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  /** The whole request, body included, must arrive within this time (else 408 and the connection is closed). */
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  /** A connection with no traffic at all for this long is closed. */
  HTTP_IDLE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  /** An idle keep-alive connection is closed after this long without a new request (keep it above a load balancer's idle timeout). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 72_000 }),
  /** Open connections (HTTP and WebSocket) per client address; more are closed as they are accepted. */
  HTTP_MAX_CONNECTIONS_PER_IP: Type.Integer({ minimum: 1, default: 512 }),
  WS_MAX_CONNECTIONS_PER_IP: Type.Integer({ minimum: 1, default: 50 }),
  WS_MAX_SUBSCRIPTIONS: Type.Integer({ minimum: 1, default: 20 }),
  WS_MAX_MESSAGES_PER_10S: Type.Integer({ minimum: 1, default: 50 }),
  /** Minimum interval between tally updates pushed for one proposal (coalescing); bounds how late a subscriber sees a vote. */
  TALLY_PUBLISH_INTERVAL_MS: Type.Integer({ minimum: 10, default: 100 }),
  /** How often an active stage's live tally is re-read from the database, to fold in other instances' votes. */
  TALLY_RESEED_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
  /** Worker threads that recover vote signers off the event loop; 0 runs them inline. Default: one per core beyond the first, at most 4. */
  VOTE_CRYPTO_THREADS: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 })),
  /** Most holders whose voting power is computed when a proposal opens (server/votes/power-preload.ts); 0 turns preloading off. */
  POWER_PRELOAD_MAX_HOLDERS: Type.Integer({ minimum: 0, default: 250_000 }),
  /** Blocks before the snapshot searched for holders when a strategy names no start block (e.g. the token's deployment block). */
  POWER_PRELOAD_SCAN_BLOCKS: Type.Integer({ minimum: 1, default: 1_000_000 }),
  /** Blocks per eth_getLogs request of the holder search (a refused range is halved). */
  POWER_PRELOAD_LOG_CHUNK_BLOCKS: Type.Integer({ minimum: 1, default: 10_000 }),
  /** How often the lifecycle sweeper looks for overdue transitions (a safety net for lost timers). */
  LIFECYCLE_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, default: 15_000 }),
  // ── Discord ideation and notifications (README "Discord", docs/api.md) ──
  /** The Discord application's public key (64 hex digits). Unset: the Discord routes answer 503 DISCORD_DISABLED. */
  DISCORD_PUBLIC_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  /** The Discord application id (scripts/discord-commands.ts registers the commands under it). */
  DISCORD_APPLICATION_ID: Type.Optional(Type.String({ pattern: '^[0-9]{5,25}$' })),
  /** Bot token: idea threads, the notification webhook of each space's channel, command registration. */
  DISCORD_BOT_TOKEN: Type.Optional(Type.String({ minLength: 10 })),
  /** Discord's REST API base (tests point it at a local receiver). */
  DISCORD_API_BASE: Type.String({ pattern: '^https?://', default: 'https://discord.com/api/v10' }),
  /** This server's public base URL, for the wallet-link and promote pages. Default http://HOST:PORT. */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' })),
  /** Master secret of generic webhook signatures; each space's secret is derived from it (scripts/webhook-secret.ts). */
  WEBHOOK_SIGNING_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** "true" lets webhooks target http:// and private or loopback addresses: local development and tests only. */
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  /** Attempts per notification delivery (5xx, network errors, Discord 429) before it is given up. */
  NOTIFY_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  /** First retry delay of a failed delivery; it doubles per attempt (a Discord 429 waits its retry_after instead). */
  NOTIFY_BACKOFF_MS: Type.Integer({ minimum: 10, default: 1000 }),
  // ── Email reminders (server/reminders/, docs/api.md#reminders) ──
  /** SMTP server of reminder emails, e.g. smtps://user:pass@mail.example.org:465 (nodemailer's URL form). Unset: Subscribe is refused with 503 REMINDERS_DISABLED and nothing is sent. */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  /** The From header of reminder emails. */
  MAIL_FROM: Type.String({ minLength: 3, default: 'govrelay <reminders@localhost>' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  MIN_TOTAL_POWER_WEI: Type.Optional(DecimalString),
  // ── Relayer (relayer/README.md) ──
  /** Key the relayer sends transactions with (PROPOSER_ROLE and EXECUTOR_ROLE on the timelock). Required by the relayer only. */
  RELAYER_PRIVATE_KEY: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' })),
  /** Blocks a relayer transaction must be buried under (its own block counts as 1) before a step is done. */
  RELAYER_CONFIRMATIONS: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  /** A transaction not mined after this long is re-sent with the same nonce and higher fees. */
  RELAYER_STUCK_TX_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
  /** Fee increase of each re-send, in percent (nodes refuse replacements below 10). */
  RELAYER_FEE_BUMP_PERCENT: Type.Integer({ minimum: 10, maximum: 500, default: 15 }),
  /** Fee cap: the relayer never offers more than this per gas. */
  RELAYER_MAX_FEE_PER_GAS_WEI: Type.Optional(DecimalString),
  /** The relayer's address, for operator tools that hold no key (the server's admin endpoints, relayer:cli): dry runs simulate from it and metrics read its balance. Default: the address of RELAYER_PRIVATE_KEY. */
  RELAYER_ADDRESS: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' })),
  /** The relayer process serves GET /health and GET /metrics (Prometheus) on HOST:RELAYER_HTTP_PORT; 0 turns that off. */
  RELAYER_HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9464 }),
  /** Below this balance the relayer logs a low-balance warning. */
  RELAYER_LOW_BALANCE_WEI: Type.String({ pattern: '^[0-9]+$', default: '100000000000000000' }),
  /** How often the relayer polls for receipts and on-chain Governor states. */
  RELAYER_POLL_INTERVAL_MS: Type.Integer({ minimum: 50, default: 2000 }),
  /** A JSON-RPC request of the relayer that gets no answer for this long fails (transient, retried); ethers' own default is 5 minutes. */
  RELAYER_RPC_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  /** How often the reconciler reads timelock events and checks ready operations. */
  RELAYER_RECONCILE_INTERVAL_MS: Type.Integer({ minimum: 100, default: 5000 }),
  /** Blocks per eth_getLogs request (providers cap the range). */
  RELAYER_LOG_CHUNK_BLOCKS: Type.Integer({ minimum: 1, default: 5000 }),
  /** Execution jobs run at once by one relayer process. */
  RELAYER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  /** A relayer's lock on a running job lasts this long unless renewed (every half of it); the job of a relayer that died is taken over once it expires, at a stalled-job check (run at this interval). */
  RELAYER_JOB_LOCK_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
  /** Attempts per step for transient errors (exponential backoff with jitter between them). */
  RELAYER_MAX_ATTEMPTS: Type.Integer({ minimum: 1, default: 12 }),
  /** First retry delay; it doubles per attempt, with jitter, up to 10 minutes. */
  RELAYER_BACKOFF_MS: Type.Integer({ minimum: 10, default: 2000 }),
  // ── On-chain anchoring of the message log (docs/api.md, "On-chain anchoring"; relayer/log-anchor.ts) ──
  /** The LogAnchor contract (npm run deploy -- --log-anchor). Unset: no anchoring, and GET /api/info says logAnchor: null. */
  LOG_ANCHOR_ADDRESS: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' })),
  /** How often the relayer posts the latest signed tree head, when it grew since the last anchor. */
  LOG_ANCHOR_INTERVAL_MS: Type.Integer({ minimum: 100, default: 300_000 }),
  /** The block LogAnchor was deployed at: where readers (GET /api/info, npm run verify) start reading its events. */
  LOG_ANCHOR_FROM_BLOCK: Type.Integer({ minimum: 0, default: 0 }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends GovrelayError {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`, { details: { problems } });
  }
}

const integerKeys = new Set(
  Object.entries(ConfigSchema.properties)
    .filter(([, schema]) => (schema as { type?: string }).type === 'integer')
    .map(([key]) => key),
);

export interface LoadOptions {
  /** False for tools that sign no receipts (migrations, the operator CLI): no RECEIPT_PRIVATE_KEY needed in production. */
  receiptKey?: boolean;
}

/** Parses the environment into a Config, or throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}, options: LoadOptions = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = integerKeys.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  Object.assign(raw, overrides);
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map((e) => {
    const key = e.instancePath.replace(/^\//, '') || '(root)';
    return `${key}: ${e.message} (got ${JSON.stringify(withDefaults[key])})`;
  });
  if (withDefaults.NODE_ENV === 'production' && !withDefaults.RECEIPT_PRIVATE_KEY && options.receiptKey !== false) {
    problems.push('RECEIPT_PRIVATE_KEY: required in production (receipts must be signed by a stable key)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return withDefaults as Config;
}

/** For process entries: a bad configuration prints every problem and exits 1 instead of a stack trace. */
export function loadConfigOrExit(env: Record<string, string | undefined>, options: LoadOptions = {}): Config {
  try {
    return loadConfig(env, {}, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** For tools that need only the database (migrations). */
export function loadDatabaseUrl(env: Record<string, string | undefined>): string {
  return loadConfig(env, {}, { receiptKey: false }).DATABASE_URL;
}
