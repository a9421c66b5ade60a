/**
 * Limits on how long and how many connections a client may hold, so slow clients (slow-loris: a
 * declared body sent one byte at a time, or headers that never end) cannot keep the server's sockets:
 *
 * - HTTP_HEADERS_TIMEOUT_MS: the request line and headers must arrive within this time;
 * - HTTP_REQUEST_TIMEOUT_MS: the whole request, body included (answered 408 and closed);
 * - HTTP_IDLE_TIMEOUT_MS: a socket with no traffic at all for this long is closed;
 * - HTTP_KEEP_ALIVE_TIMEOUT_MS: how long an idle keep-alive connection waits for its next request;
 * - HTTP_MAX_CONNECTIONS_PER_IP: open connections (WebSockets included) per client address; more are
 *   closed at once.
 *
 * Node checks the header and request deadlines on a timer (connectionsCheckingInterval, 30 s by
 * default); it runs here at a quarter of the shorter deadline, so a deadline is kept within 25 %.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../../core/config.js';

export type HttpLimitsConfig = Pick<
  Config,
  'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_IDLE_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS_PER_IP'
>;

/** The Fastify constructor options that carry the timeouts. */
export function httpTimeoutOptions(config: HttpLimitsConfig): Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'> & {
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  // Node requires headersTimeout <= requestTimeout.
  const headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  return {
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.max(100, Math.floor(headersTimeout / 4)),
    },
  };
}

/** Closes connections beyond HTTP_MAX_CONNECTIONS_PER_IP from one address, as they are accepted. */
export function capConnectionsPerIp(app: FastifyInstance, config: HttpLimitsConfig): void {
  const open = new Map<string, number>();
  let refusedSinceLog = 0;
  app.server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const count = open.get(ip) ?? 0;
    if (count >= config.HTTP_MAX_CONNECTIONS_PER_IP) {
      // Logged once per burst, not per socket: a flood would otherwise flood the log too.
      if (refusedSinceLog++ === 0) app.log.info({ ip, limit: config.HTTP_MAX_CONNECTIONS_PER_IP }, 'connection refused: too many connections from one address');
      socket.destroy();
      return;
    }
    if (refusedSinceLog > 1) app.log.info({ refused: refusedSinceLog - 1 }, 'further connections refused over the per-address limit');
    refusedSinceLog = 0;
    open.set(ip, count + 1);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
