/**
 * Closing BullMQ workers and queues, bounded (core/shutdown.ts): a worker's close is not started
 * while its blocking client waits to reconnect, and a close still late after CLOSE_STEP_MS is forced.
 */
import { RECONNECT_MAX_DELAY_MS } from './redis.js';
import { closeWithin, type ShutdownLog } from './shutdown.js';

/** What a bounded close needs of a BullMQ Worker or Queue (a Worker's backend has a blocking client). */
interface Closable {
  readonly name: string;
  close(): Promise<void>;
  disconnect(): Promise<void>;
  readonly backend?: { readonly blockingClient?: Promise<BlockingClient> | undefined };
}

interface BlockingClient {
  status: string;
  once(event: 'ready', listener: () => void): unknown;
  removeListener(event: 'ready', listener: () => void): unknown;
}

/** The longest wait between two reconnect attempts (core/redis.ts), its jitter, and the attempt itself. */
const RECONNECT_WAIT_MS = 2 * RECONNECT_MAX_DELAY_MS + 500;

/**
 * A worker's close disconnects its blocking client and waits for that client's `end`. A client
 * between two reconnect attempts has no socket, so it never ends (bullmq#4656): a close just after
 * a Redis restart hung so. When Redis is back the attempt comes within RECONNECT_WAIT_MS, so the
 * close first waits (bounded) for the client to be connected again.
 */
async function untilNotReconnecting(component: Closable): Promise<void> {
  const client = await component.backend?.blockingClient;
  if (client?.status !== 'reconnecting') return;
  let listener: (() => void) | undefined;
  await closeWithin('wait for the blocking client to reconnect', () => new Promise<void>((resolve) => client.once('ready', (listener = resolve))), {
    ms: RECONNECT_WAIT_MS,
  });
  if (listener) client.removeListener('ready', listener);
}

/**
 * Closes a BullMQ worker or queue within CLOSE_STEP_MS; when late, disconnects its connections
 * without waiting (ioredis' disconnect also cancels the reconnect timer that would keep the
 * process alive).
 */
export async function closeQueueComponent(component: Closable, log?: ShutdownLog, ms?: number): Promise<boolean> {
  await untilNotReconnecting(component);
  return closeWithin(`close ${component.constructor.name} ${component.name}`, () => component.close(), {
    log,
    ...(ms === undefined ? {} : { ms }),
    force: () => void component.disconnect().catch(() => undefined),
  });
}
