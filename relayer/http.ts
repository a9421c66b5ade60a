/**
 * The relayer's own small HTTP server (node:http, no framework), on HOST:RELAYER_HTTP_PORT:
 *
 *   GET /health   200 {status:"ok", checks, warnings} or 503 {status:"degraded", …}   (relayer/metrics.ts checkHealth)
 *   GET /metrics  Prometheus text format 0.0.4                                       (relayer/metrics.ts collectMetrics)
 *
 * It lives in the relayer process because only that process knows whether its worker and reconciler
 * run and how many attempts failed; queue depth, statuses and the balance are read live at each request.
 * Nothing here changes state, and it answers nothing else (404), so it needs no authentication; bind it
 * to a private interface (HOST) in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Relayer } from './relayer.js';

export interface RelayerHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRelayerHttp(relayer: Pick<Relayer, 'health' | 'metrics' | 'logger'>, options: { host: string; port: number }): Promise<RelayerHttp> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, 'application/json', JSON.stringify({ code: 'METHOD_NOT_ALLOWED', message: 'GET only' }));
    if (path === '/health') {
      relayer.health().then(
        (report) => send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report)),
        (error: unknown) => send(503, 'application/json', JSON.stringify({ status: 'degraded', checks: { relayer: String(error) }, warnings: [] })),
      );
      return;
    }
    if (path === '/metrics') {
      relayer.metrics().then(
        (text) => send(200, 'text/plain; version=0.0.4; charset=utf-8', text),
        (error: unknown) => {
          relayer.logger.warn({ err: error }, 'metrics scrape failed');
          send(500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
        },
      );
      return;
    }
    send(404, 'application/json', JSON.stringify({ code: 'NOT_FOUND', message: 'GET /health or GET /metrics' }));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
