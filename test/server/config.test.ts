import t from 'tap';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../core/config.js';

t.test('configuration is parsed once into typed values with defaults', async (t) => {
  const config = loadConfig({ PORT: '8080', CHAIN_ID: '1', LOG_LEVEL: 'debug' });
  t.equal(config.PORT, 8080);
  t.equal(config.CHAIN_ID, 1);
  t.equal(config.REDIS_PREFIX, 'govrelay');
  t.equal(config.MESSAGE_MAX_AGE_S, 3600);
});

t.test('bad configuration fails with every problem named', async (t) => {
  const error = t.throws(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })) as ConfigError;
  t.type(error, ConfigError);
  t.match(error.message, /PORT/);
  t.match(error.message, /DATABASE_URL/);
  t.match(error.message, /LOG_LEVEL/);
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /RECEIPT_PRIVATE_KEY: required in production/);
});

t.test('the server refuses to start on bad configuration, with a clear message', async (t) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '-1', CHAIN_ID: 'zero' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(result.status, 1);
  t.match(result.stderr, /Invalid configuration/);
  t.match(result.stderr, /PORT/);
  t.match(result.stderr, /CHAIN_ID/);
});
