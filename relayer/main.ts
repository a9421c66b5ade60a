/**
 * Relayer entry: parse the configuration once, start the execution worker and the chain-event
 * reconciler, and shut down in order on SIGINT/SIGTERM (worker, reconciler, queue, Redis, database,
 * provider). See relayer/README.md.
 */
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfigOrExit } from '../server/config.js';
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
closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) running.logger.error({ err }, 'closing after an uncaught error');
  else running.logger.info({ signal }, 'shutting down');
  await running.close();
});
