/** Server entry: parse configuration, listen, and shut down gracefully on SIGINT/SIGTERM. */
import closeWithGrace from 'close-with-grace';
import { loadConfigOrExit } from '../core/config.js';
import { buildApp } from './app.js';

const config = loadConfigOrExit(process.env);

const app = await buildApp(config);
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});
await app.listen({ host: config.HOST, port: config.PORT });
