/**
 * `npm run api:types`: builds the govrelay app in-process (on a throwaway local chain and the
 * configured DATABASE_URL / REDIS_URL, as `npm start` would), reads the OpenAPI document Fastify
 * assembles from the routes' TypeBox schemas, and writes web/src/api/schema.d.ts.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { buildApp } from '../../server/app.js';
import { startLocalChain } from '../../scripts/local-chain.js';
import { apiTypesSource } from './openapi-types.js';

const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const chain = await startLocalChain();
try {
  const config = loadConfig(process.env, { LOG_LEVEL: 'silent', RPC_URL: chain.rpcUrl, CHAIN_ID: chain.chainId });
  const app = await buildApp(config);
  try {
    await app.ready();
    await writeFile(target, await apiTypesSource(app.swagger()));
    console.log(`wrote ${target}`);
  } finally {
    await app.close();
  }
} finally {
  await chain.stop();
}
