/**
 * Local WebSocket subscriptions. Tally updates are coalesced per proposal: however many votes land,
 * each subscriber gets at most one tally message per interval, carrying the latest tally.
 * Lifecycle and execution events are rare and go out at once.
 */
import type { WebSocket } from 'ws';
import type { ServerEvent, TallyEvent } from './events.js';

export type Topic = `proposal:${string}` | `space:${string}`;

/** A slow client's socket buffer above this means it is not reading; it skips updates until it drains. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** The pause between tally flushes is at least this multiple of the last flush's duration. */
const FANOUT_SPACING = 2;

export class SubscriptionHub {
  private readonly subscribers = new Map<Topic, Set<WebSocket>>();
  private readonly topicsBySocket = new Map<WebSocket, Set<Topic>>();
  private readonly pendingTallies = new Map<string, TallyEvent>();
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private lastFlushMs = 0;

  constructor(private readonly coalesceMs: number) {}

  get connectionCount(): number {
    return this.topicsBySocket.size;
  }

  add(socket: WebSocket): void {
    this.topicsBySocket.set(socket, new Set());
  }

  remove(socket: WebSocket): void {
    for (const topic of this.topicsBySocket.get(socket) ?? []) {
      const set = this.subscribers.get(topic);
      set?.delete(socket);
      if (set?.size === 0) this.subscribers.delete(topic);
    }
    this.topicsBySocket.delete(socket);
  }

  /** Returns false when the socket already has `limit` subscriptions. */
  subscribe(socket: WebSocket, topic: Topic, limit: number): boolean {
    const topics = this.topicsBySocket.get(socket);
    if (!topics) return false;
    if (!topics.has(topic) && topics.size >= limit) return false;
    topics.add(topic);
    let set = this.subscribers.get(topic);
    if (!set) this.subscribers.set(topic, (set = new Set()));
    set.add(socket);
    return true;
  }

  unsubscribe(socket: WebSocket, topic: Topic): void {
    this.topicsBySocket.get(socket)?.delete(topic);
    const set = this.subscribers.get(topic);
    set?.delete(socket);
    if (set?.size === 0) this.subscribers.delete(topic);
  }

  dispatch(event: ServerEvent): void {
    if (event.kind === 'tally') {
      this.pendingTallies.set(`${event.proposalId}:${event.stage}`, event);
      this.scheduleFlush();
      return;
    }
    this.deliver(event, event.kind === 'lifecycle' ? { type: 'lifecycle', ...strip(event) } : { type: 'execution', ...strip(event) });
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const socket of this.topicsBySocket.keys()) socket.close(1001, 'server shutting down');
    this.topicsBySocket.clear();
    this.subscribers.clear();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    // With many subscribers a flush itself takes a while (one socket write each): the next one waits
    // at least FANOUT_SPACING times as long, so fan-out never takes more than a third of the time.
    const spacing = Math.max(this.coalesceMs, this.lastFlushMs * FANOUT_SPACING);
    const wait = Math.max(0, this.lastFlush + spacing - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlush = Date.now();
    const started = performance.now();
    const events = [...this.pendingTallies.values()];
    this.pendingTallies.clear();
    for (const event of events) this.deliver(event, { type: 'tally', ...strip(event) });
    this.lastFlushMs = performance.now() - started;
  }

  private deliver(event: ServerEvent, message: Record<string, unknown>): void {
    // Encoded once for every subscriber (ws would convert a string per send).
    const payload = Buffer.from(JSON.stringify(message));
    const proposalSubscribers = this.subscribers.get(`proposal:${event.proposalId}`);
    const spaceSubscribers = this.subscribers.get(`space:${event.spaceId}`);
    const send = (socket: WebSocket) => {
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < MAX_BUFFERED_BYTES) socket.send(payload, { binary: false });
    };
    for (const socket of proposalSubscribers ?? []) send(socket);
    // A socket subscribed to both the proposal and its space gets the message once.
    for (const socket of spaceSubscribers ?? []) if (!proposalSubscribers?.has(socket)) send(socket);
  }
}

function strip(event: ServerEvent): Record<string, unknown> {
  const { kind: _kind, ...rest } = event;
  return rest;
}
