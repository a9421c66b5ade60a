/** A WebSocket client for tests: collects every frame and waits for the one a test expects. */
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { waitFor } from './stack.js';

export interface WsClient {
  socket: WebSocket;
  messages: any[];
  next(predicate: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  send(message: unknown): void;
  close(): void;
}

/** Connects to a listening app's /ws. */
export async function connectWs(app: FastifyInstance): Promise<WsClient> {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (predicate, timeoutMs = 10_000) => waitFor(async () => messages.find(predicate), timeoutMs, 20),
    close: () => socket.close(),
  };
}
