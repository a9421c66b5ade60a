import type { BaseLogger, LoggerOptions } from 'pino';

/** What services need of a logger; satisfied by pino and by Fastify's request/app loggers. */
export type Log = Pick<BaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
import type { Config } from './config.js';

/** pino options shared by the server and the relayer: structured objects, never formatted strings. */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, name: string): LoggerOptions {
  return {
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'config.RECEIPT_PRIVATE_KEY',
        'config.ADMIN_TOKEN',
        'config.RELAYER_PRIVATE_KEY',
        'config.DISCORD_BOT_TOKEN',
        'config.WEBHOOK_SIGNING_SECRET',
        'config.SMTP_URL',
      ],
      remove: true,
    },
  };
}
