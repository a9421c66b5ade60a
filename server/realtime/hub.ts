/**
 * Local WebSocket subscriptions. Tally updates are coalesced per proposal: however many votes land,
 * each subscriber gets at most one tally message per interval, carrying the latest tally.
 * Lifecycle and execution events are rare and go out at once.
 */
import type { WebSocket } from 'ws';
import type { Duplex } from 'node:stream';
import type { ServerEvent, TallyEvent } from '../../core/realtime/events.js';

export type Topic = `proposal:${string}` | `space:${string}`;

/** A slow client's socket buffer above this means it is not reading; it skips updates until it drains. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** A tally flush starts no sooner than this multiple of the last flush's duration after that one started. */
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
    // With many subscribers a flush itself takes a while (one socket write each): the next one starts
    // at least FANOUT_SPACING flush durations after the last one started, so fan-out takes at most
    // half of the event loop and intake keeps the rest.
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
    for (const event of events) {
      // Which instance published and why are for the instances, not for clients.
      const { instance: _instance, ownVotes: _ownVotes, ...shown } = strip(event);
      this.deliver(event, { type: 'tally', ...shown });
    }
    this.lastFlushMs = performance.now() - started;
  }

  private deliver(event: ServerEvent, message: Record<string, unknown>): void {
    const payload = Buffer.from(JSON.stringify(message));
    // Framed once for every subscriber: one socket write each instead of ws framing every copy
    // (header, cork, two writes). Only for connections without extensions (no compression), whose
    // frames ws itself writes straight through in order.
    const frame = textFrame(payload);
    const proposalSubscribers = this.subscribers.get(`proposal:${event.proposalId}`);
    const spaceSubscribers = this.subscribers.get(`space:${event.spaceId}`);
    const send = (socket: WebSocket) => {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount >= MAX_BUFFERED_BYTES) return;
      const raw = (socket as unknown as { _socket?: Duplex })._socket;
      if (raw && socket.extensions === '') raw.write(frame);
      else socket.send(payload, { binary: false });
    };
    for (const socket of proposalSubscribers ?? []) send(socket);
    // A socket subscribed to both the proposal and its space gets the message once.
    for (const socket of spaceSubscribers ?? []) if (!proposalSubscribers?.has(socket)) send(socket);
  }
}

/** A final, unmasked text frame (RFC 6455 §5.2), as a server sends it. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

function strip(event: ServerEvent): Record<string, unknown> {
  const { kind: _kind, ...rest } = event;
  return rest;
}
