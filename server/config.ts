/**
 * Configuration is read from the environment once, here, into a typed object that is passed to
 * everything else. Nothing outside this file reads process.env.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

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
  /** Key the server signs receipts with. Required in production. */
  RECEIPT_PRIVATE_KEY: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' })),
  /** Signed timestamps older than this (seconds) are rejected. */
  MESSAGE_MAX_AGE_S: Type.Integer({ minimum: 1, default: 3600 }),
  /** Signed timestamps further in the future than this (seconds) are rejected. */
  MESSAGE_MAX_FUTURE_S: Type.Integer({ minimum: 0, default: 300 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 100_000 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  WS_MAX_CONNECTIONS_PER_IP: Type.Integer({ minimum: 1, default: 50 }),
  WS_MAX_SUBSCRIPTIONS: Type.Integer({ minimum: 1, default: 20 }),
  WS_MAX_MESSAGES_PER_10S: Type.Integer({ minimum: 1, default: 50 }),
  /** Minimum interval between tally updates pushed for one proposal (coalescing). */
  TALLY_PUBLISH_INTERVAL_MS: Type.Integer({ minimum: 10, default: 250 }),
  /** How often the lifecycle sweeper looks for overdue transitions (a safety net for lost timers). */
  LIFECYCLE_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, default: 15_000 }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  MIN_TOTAL_POWER_WEI: Type.Optional(DecimalString),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

const integerKeys = new Set(
  Object.entries(ConfigSchema.properties)
    .filter(([, schema]) => (schema as { type?: string }).type === 'integer')
    .map(([key]) => key),
);

/** Parses the environment into a Config, or throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
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
  if (withDefaults.NODE_ENV === 'production' && !withDefaults.RECEIPT_PRIVATE_KEY) {
    problems.push('RECEIPT_PRIVATE_KEY: required in production (receipts must be signed by a stable key)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return withDefaults as Config;
}

/** For process entries: a bad configuration prints every problem and exits 1 instead of a stack trace. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** For tools that need only the database (migrations). */
export function loadDatabaseUrl(env: Record<string, string | undefined>): string {
  return loadConfig(env).DATABASE_URL;
}
