/**
 * GET /metrics on the server: Prometheus text (core/prometheus.ts, hand-written like the
 * relayer's). Per instance:
 *
 *   govrelay_server_messages_total{type,outcome,code}     signed messages accepted (code "") and refused, by code;
 *                                                          batch items are counted one by one
 *   govrelay_server_http_request_duration_seconds{method,route,status}   request latency histogram (route template, status class)
 *   govrelay_server_websocket_connections                 open WebSocket connections (subscribers)
 *   govrelay_server_live_tally_stages                     proposal stages this instance counts live
 *   govrelay_server_live_tally_lag_seconds                how long the oldest unpublished live-tally change has waited
 *   govrelay_server_db_pool_connections{state}            pg pool: total, idle, waiting (clients queued for a connection), max
 *   govrelay_server_power_preload_runs{state}             voting-power preload runs by state
 *   govrelay_server_power_preload_voters{kind}            likely holders found and computed by those runs
 *
 * Nothing here waits for the database, Redis or the chain: a scrape reads in-process numbers only, so
 * it answers while a dependency is down (that is what /health reports).
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GOVERNANCE_TYPES } from '../eip712/types.js';
import type { Config } from '../../core/config.js';
import { Counter, Histogram, family } from '../../core/prometheus.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MESSAGE_ROUTE = '/api/messages';
const BATCH_ROUTE = '/api/messages/batch';

export class ServerMetrics {
  readonly messages = new Counter('govrelay_server_messages_total', 'Signed messages by type and outcome (accepted, refused) and refusal code.', [
    'type',
    'outcome',
    'code',
  ]);
  readonly latency = new Histogram(
    'govrelay_server_http_request_duration_seconds',
    'HTTP request latency by method, route template and status class.',
    ['method', 'route', 'status'],
    LATENCY_BUCKETS,
  );
}

/** The message type a body names, from the known set only (anything else is "unknown", so labels stay bounded). */
function typeOf(body: unknown): string {
  const t = (body as { data?: { primaryType?: unknown } } | null)?.data?.primaryType;
  return typeof t === 'string' && (GOVERNANCE_TYPES as readonly string[]).includes(t) ? t : 'unknown';
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServerMetrics;
  }
}

export default fp(
  async (app, _opts: { config: Config }) => {
    const metrics = new ServerMetrics();
    app.decorate('metrics', metrics);

    // Batch results are counted from the handler's object, before serialization (no re-parse).
    app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (request.routeOptions.url === BATCH_ROUTE && reply.statusCode === 200) {
        const body = request.body as unknown[];
        const results = (payload as { results?: { ok: boolean; code?: string; type?: string }[] }).results ?? [];
        results.forEach((r, i) =>
          metrics.messages.inc({ type: r.ok ? (r.type ?? 'Vote') : typeOf(body[i]), outcome: r.ok ? 'accepted' : 'refused', code: r.ok ? '' : (r.code ?? '') }),
        );
      }
      return payload;
    });
    // Single messages: the receipt or the error body; an error body is small, so reading its code is cheap.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const route = request.routeOptions.url;
      if (route === MESSAGE_ROUTE && request.method === 'POST') {
        if (reply.statusCode === 200) metrics.messages.inc({ type: typeOf(request.body), outcome: 'accepted', code: '' });
        else {
          let code = 'UNKNOWN';
          try {
            code = (JSON.parse(String(payload)) as { code?: string }).code ?? code;
          } catch {
            // not JSON: counted as UNKNOWN
          }
          metrics.messages.inc({ type: typeOf(request.body), outcome: 'refused', code });
        }
      } else if (route === BATCH_ROUTE && reply.statusCode !== 200) {
        // The whole batch was refused (not an array, too large): one count per batch.
        metrics.messages.inc({ type: 'batch', outcome: 'refused', code: `HTTP_${reply.statusCode}` });
      }
      return payload;
    });
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.latency.observe(
        {
          method: request.method,
          route: reply.statusCode === 404 && !request.routeOptions.url ? 'unmatched' : route,
          status: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      );
    });

    app.get(
      '/metrics',
      {
        schema: {
          tags: ['system'],
          summary: 'Prometheus metrics of this server instance (text format 0.0.4)',
          response: { 200: { type: 'string' } },
        },
      },
      async (_request, reply) => {
        const out = [metrics.messages.render(), metrics.latency.render()];
        out.push(
          family('govrelay_server_websocket_connections', 'gauge', 'Open WebSocket connections on this instance.', [{ value: app.hub.connectionCount }]),
        );
        const live = app.gov.liveTally.stats();
        out.push(family('govrelay_server_live_tally_stages', 'gauge', 'Proposal stages this instance counts live.', [{ value: live.stages }]));
        out.push(
          family('govrelay_server_live_tally_lag_seconds', 'gauge', 'How long the oldest live-tally change not yet published has waited (0: all published).', [
            { value: live.lagMs / 1000 },
          ]),
        );
        const pool = app.db.pool;
        out.push(
          family('govrelay_server_db_pool_connections', 'gauge', 'PostgreSQL pool connections: total, idle, waiting (requests queued for one), max.', [
            { labels: { state: 'total' }, value: pool.totalCount },
            { labels: { state: 'idle' }, value: pool.idleCount },
            { labels: { state: 'waiting' }, value: pool.waitingCount },
            { labels: { state: 'max' }, value: pool.options.max ?? 10 },
          ]),
        );
        const preload = app.gov.preloader.summary();
        out.push(
          family(
            'govrelay_server_power_preload_runs',
            'gauge',
            'Voting-power preload runs on this instance by state.',
            Object.entries(preload.byState).map(([state, value]) => ({ labels: { state }, value })),
          ),
        );
        out.push(
          family('govrelay_server_power_preload_voters', 'gauge', 'Likely holders found by the preload runs, and of those computed.', [
            { labels: { kind: 'found' }, value: preload.holders },
            { labels: { kind: 'computed' }, value: preload.computed },
          ]),
        );
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${out.join('\n')}\n`);
      },
    );
  },
  { name: 'metrics', dependencies: ['database', 'realtime', 'governance'] },
);
