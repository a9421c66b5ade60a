/**
 * One WebSocket to the server's /ws for the whole app (docs/api.md, "WebSocket"): topics are
 * subscribed while some component listens, re-subscribed after a reconnect, and dropped when the
 * last listener leaves.
 */
import type { Tally } from '../api/types';

export type LiveFrame =
  | { type: 'tally'; proposalId: string; spaceId: string; stage: number; at: number; tally: Tally }
  | { type: 'lifecycle'; proposalId: string; spaceId: string; from: string | null; to: string; at: string; cause: string }
  | { type: 'execution'; proposalId: string; spaceId: string; status: string; detail: unknown }
  | { type: 'subscribed' | 'unsubscribed'; topic: string }
  | { type: 'error'; code: string; message: string };

type Listener = (frame: LiveFrame) => void;
export type Topic = { proposal: string } | { space: string };

const topicKey = (t: Topic) => ('proposal' in t ? `proposal:${t.proposal}` : `space:${t.space}`);

class LiveSocket {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly topics = new Map<string, Topic>();
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly statusListeners = new Set<(open: boolean) => void>();
  open = false;

  subscribe(topic: Topic, listener: Listener): () => void {
    const key = topicKey(topic);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
      this.topics.set(key, topic);
      this.send({ type: 'subscribe', ...topic });
    }
    set.add(listener);
    this.connect();
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(key);
        this.topics.delete(key);
        this.send({ type: 'unsubscribe', ...topic });
      }
    };
  }

  onStatus(listener: (open: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setOpen(open: boolean) {
    this.open = open;
    for (const l of this.statusListeners) l(open);
  }

  private send(frame: object) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private connect() {
    if (this.socket || this.timer) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.setOpen(true);
      for (const topic of this.topics.values()) this.send({ type: 'subscribe', ...topic });
    };
    socket.onmessage = (event) => {
      let frame: LiveFrame;
      try {
        frame = JSON.parse(String(event.data)) as LiveFrame;
      } catch {
        return;
      }
      if (!('proposalId' in frame)) return;
      for (const key of [`proposal:${frame.proposalId}`, `space:${frame.spaceId}`]) for (const l of this.listeners.get(key) ?? []) l(frame);
    };
    socket.onclose = () => {
      this.socket = null;
      this.setOpen(false);
      if (this.listeners.size === 0) return;
      // Back off 0.5 s, 1 s, 2 s … up to 15 s; pages fetch again on reconnect (see useLive).
      const delay = Math.min(15_000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.connect();
      }, delay);
    };
  }
}

export const live = new LiveSocket();
