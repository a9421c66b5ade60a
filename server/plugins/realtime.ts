/**
 * Live updates over WebSocket at /ws. Clients subscribe to a proposal or a space and receive tally
 * updates (coalesced) and lifecycle/execution events. Events arrive through Redis pub/sub, so a
 * subscriber on any instance sees what happened on every instance.
 *
 * Protocol (JSON text frames):
 *   → {"type":"subscribe","proposal":"0x…"} | {"type":"subscribe","space":"id"} | {"type":"unsubscribe",…} | {"type":"ping"}
 *   ← {"type":"subscribed","topic":…} | {"type":"tally",…} | {"type":"lifecycle",…} | {"type":"execution",…} | {"type":"pong"} | {"type":"error","code","message"}
 */
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Config } from '../../core/config.js';
import { eventsChannel, type ServerEvent } from '../../core/realtime/events.js';
import { SubscriptionHub, type Topic } from '../realtime/hub.js';
import { closeSubscriber, createRedis } from '../../core/redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    hub: SubscriptionHub;
  }
}

const MAX_FRAME_BYTES = 4096;
/**
 * The socket accepts frames up to this size so that a frame over MAX_FRAME_BYTES gets the documented
 * error frame and close 1008; larger still, ws closes with 1009 at the protocol level.
 */
const MAX_PROTOCOL_FRAME_BYTES = 64 * 1024;
const PROPOSAL_ID = /^0x[0-9a-f]{64}$/;
const SPACE_ID = /^[a-z0-9][a-z0-9.-]{1,63}$/;

function send(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function topicOf(request: Record<string, unknown>): Topic | null {
  if (typeof request.proposal === 'string' && PROPOSAL_ID.test(request.proposal.toLowerCase())) return `proposal:${request.proposal.toLowerCase()}`;
  if (typeof request.space === 'string' && SPACE_ID.test(request.space)) return `space:${request.space}`;
  return null;
}

export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    const hub = new SubscriptionHub(config.TALLY_PUBLISH_INTERVAL_MS);
    const subscriber = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const channel = eventsChannel(config.REDIS_PREFIX);
    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const event = JSON.parse(raw) as ServerEvent;
        // Other instances' tallies tell this one's live tally which stages it holds are behind.
        app.gov.liveTally.observe(event);
        hub.dispatch(event);
      } catch (error) {
        app.log.warn({ err: error }, 'bad event on the events channel');
      }
    });
    app.decorate('hub', hub);

    const connectionsByIp = new Map<string, number>();
    // autoPong off: ws answers protocol pings itself and, past 60 unanswered ones, drops the TCP
    // connection without a close frame. Pings are answered here instead and count towards
    // WS_MAX_MESSAGES_PER_10S like any frame, so a flood ends with an error frame and close 1008.
    await app.register(websocket, { options: { maxPayload: MAX_PROTOCOL_FRAME_BYTES, autoPong: false } });

    app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
      const ip = request.ip;
      const open = connectionsByIp.get(ip) ?? 0;
      if (open >= config.WS_MAX_CONNECTIONS_PER_IP) {
        send(socket, { type: 'error', code: 'TOO_MANY_CONNECTIONS', message: `at most ${config.WS_MAX_CONNECTIONS_PER_IP} connections per address` });
        socket.close(1008, 'too many connections');
        return;
      }
      connectionsByIp.set(ip, open + 1);
      hub.add(socket);
      let windowStart = Date.now();
      let messagesInWindow = 0;

      socket.on('ping', (data) => {
        if (socket.readyState !== socket.OPEN) return;
        if (overRateLimit()) return;
        socket.pong(data);
      });
      /** Counts a frame; past the limit: the error frame, close 1008, and true. */
      const overRateLimit = (): boolean => {
        const now = Date.now();
        if (now - windowStart > 10_000) {
          windowStart = now;
          messagesInWindow = 0;
        }
        if (++messagesInWindow <= config.WS_MAX_MESSAGES_PER_10S) return false;
        if (socket.readyState === socket.OPEN) {
          send(socket, { type: 'error', code: 'RATE_LIMITED', message: `at most ${config.WS_MAX_MESSAGES_PER_10S} messages per 10 s` });
          socket.close(1008, 'rate limited');
        }
        return true;
      };

      socket.on('message', (data, isBinary) => {
        const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
        if (size > MAX_FRAME_BYTES) {
          send(socket, { type: 'error', code: 'FRAME_TOO_LARGE', message: `frames are at most ${MAX_FRAME_BYTES} bytes` });
          socket.close(1008, 'frame too large');
          return;
        }
        if (overRateLimit()) return;
        let request: Record<string, unknown>;
        try {
          const parsed: unknown = isBinary ? {} : JSON.parse(data.toString());
          // A frame of JSON null (or a scalar) has no type: answered as UNKNOWN_TYPE below. Reading
          // .type on null would throw inside this socket listener and take the whole process down.
          request = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
        } catch {
          send(socket, { type: 'error', code: 'INVALID_JSON', message: 'messages must be JSON text' });
          return;
        }
        if (request.type === 'ping') return send(socket, { type: 'pong' });
        if (request.type !== 'subscribe' && request.type !== 'unsubscribe') {
          return send(socket, { type: 'error', code: 'UNKNOWN_TYPE', message: 'type must be subscribe, unsubscribe or ping' });
        }
        const topic = topicOf(request);
        if (!topic) return send(socket, { type: 'error', code: 'INVALID_TOPIC', message: 'name a proposal (0x + 64 hex) or a space id' });
        if (request.type === 'unsubscribe') {
          hub.unsubscribe(socket, topic);
          return send(socket, { type: 'unsubscribed', topic });
        }
        if (!hub.subscribe(socket, topic, config.WS_MAX_SUBSCRIPTIONS)) {
          return send(socket, {
            type: 'error',
            code: 'TOO_MANY_SUBSCRIPTIONS',
            message: `at most ${config.WS_MAX_SUBSCRIPTIONS} subscriptions per connection`,
          });
        }
        send(socket, { type: 'subscribed', topic });
      });
      socket.on('close', () => {
        hub.remove(socket);
        const left = (connectionsByIp.get(ip) ?? 1) - 1;
        if (left <= 0) connectionsByIp.delete(ip);
        else connectionsByIp.set(ip, left);
      });
    });

    app.addHook('preClose', async () => hub.close());
    app.addHook('onClose', async () => {
      await closeSubscriber(subscriber, channel, app.log);
    });
  },
  { name: 'realtime', dependencies: ['redis', 'governance'] },
);
