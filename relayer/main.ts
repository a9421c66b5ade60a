/**
 * Relayer entry: parse the configuration once, start the execution worker and the chain-event
 * reconciler, serve GET /health and GET /metrics on HOST:RELAYER_HTTP_PORT (0: off), and shut down in
 * order on SIGINT/SIGTERM (HTTP, worker, reconciler, queue, Redis, database, provider). See relayer/README.md.
 */
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfigOrExit } from '../core/config.js';
import { startRelayerHttp, type RelayerHttp } from './http.js';
import { createRelayer } from './relayer.js';

const config = loadConfigOrExit(process.env);
let relayer;
try {
  relayer = await createRelayer(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const running = relayer;
let http: RelayerHttp | null = null;
if (config.RELAYER_HTTP_PORT !== 0) {
  try {
    http = await startRelayerHttp(running, { host: config.HOST, port: config.RELAYER_HTTP_PORT });
    running.logger.info({ url: http.url }, 'relayer health and metrics: GET /health, GET /metrics');
  } catch (error) {
    running.logger.error(
      { err: error, host: config.HOST, port: config.RELAYER_HTTP_PORT },
      'cannot serve /health and /metrics (set RELAYER_HTTP_PORT to a free port, or 0 to turn them off)',
    );
    await running.close();
    process.exit(1);
  }
}
closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) running.logger.error({ err }, 'closing after an uncaught error');
  else running.logger.info({ signal }, 'shutting down');
  await http?.close();
  await running.close();
});
