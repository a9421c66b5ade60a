/**
 * Load generators for the benchmark: single-vote requests sustained for a fixed time, and batches
 * through POST /api/messages/batch. Both use bench/http-client.ts (lean keep-alive connections) and
 * record what the server acknowledged, so the run can be checked against the database afterwards.
 */
import { performance } from 'node:perf_hooks';
import { HttpConnection } from './http-client.js';

/** Pre-serialized signed votes, in sending order, with the message id (EIP-712 digest) each must get. */
export interface SignedVotes {
  bodies: Buffer[];
  ids: string[];
  /** Voter index of each vote (a voter may have several votes: later ones are re-votes). */
  voters: Int32Array;
}

export interface Acknowledged {
  /** Acknowledged message id → voter index. */
  ids: Map<string, number>;
  /** Refusals by "status code". */
  rejections: Map<string, number>;
  /** Receipts naming another id than the vote's digest. */
  wrongIds: number;
}

export interface SustainedResult extends Acknowledged {
  sent: number;
  completed: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  ranOutOfVotes: boolean;
}

function newAcknowledged(): Acknowledged {
  return { ids: new Map(), rejections: new Map(), wrongIds: 0 };
}

function refuse(ack: Acknowledged, key: string, count = 1): void {
  ack.rejections.set(key, (ack.rejections.get(key) ?? 0) + count);
}

function codeOf(body: Buffer): string {
  try {
    return (JSON.parse(body.toString()) as { code?: string }).code ?? 'NO_CODE';
  } catch {
    return 'UNPARSEABLE';
  }
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Posts votes one per request, `concurrency` in flight on as many connections, for `seconds`
 * (or until the votes run out). Latency is measured per request from send to the end of the response.
 */
export async function runSustained(options: {
  port: number;
  votes: SignedVotes;
  seconds: number;
  concurrency: number;
  log: (message: string) => void;
  shouldStop?: () => boolean;
}): Promise<SustainedResult> {
  const { votes } = options;
  const total = votes.bodies.length;
  const latencies = new Float64Array(total);
  const ack = newAcknowledged();
  let next = 0;
  let completed = 0;
  let stop = false;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let lastCompleted = 0;
  let lastAt = started;
  const progress = setInterval(() => {
    const now = performance.now();
    options.log(
      `  ${completed} done, ${ack.ids.size} accepted, ${(((completed - lastCompleted) * 1000) / (now - lastAt)).toFixed(0)} votes/s over the last interval`,
    );
    lastCompleted = completed;
    lastAt = now;
  }, 10_000);

  const worker = async () => {
    const connection = new HttpConnection('127.0.0.1', options.port);
    try {
      while (!stop) {
        if (performance.now() >= deadline || options.shouldStop?.()) {
          stop = true;
          return;
        }
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        try {
          const response = await connection.post('/api/messages', votes.bodies[i]!);
          latencies[completed++] = performance.now() - t0;
          if (response.status === 200) {
            const id = (JSON.parse(response.body.toString()) as { id?: string }).id ?? '';
            if (id !== votes.ids[i]) ack.wrongIds++;
            ack.ids.set(id, votes.voters[i]!);
          } else refuse(ack, `${response.status} ${codeOf(response.body)}`);
        } catch (error) {
          latencies[completed++] = performance.now() - t0;
          refuse(ack, `NETWORK ${error instanceof Error ? error.message : 'error'}`);
          return;
        }
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(progress);
  const finished = latencies.slice(0, completed).sort();
  return {
    ...ack,
    sent: Math.min(next, total),
    completed,
    seconds,
    p50: percentile(finished, 50),
    p99: percentile(finished, 99),
    max: finished.length ? finished[finished.length - 1]! : NaN,
    ranOutOfVotes: next >= total,
  };
}

export interface BatchResult extends Acknowledged {
  requests: number;
  seconds: number;
  /** When each request's acknowledgements arrived (performance.now() ms) and how many it held. */
  acks: { at: number; votes: number }[];
}

/** The JSON array body of a batch, from pre-serialized envelopes. */
export function batchBody(bodies: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('[')];
  bodies.forEach((body, i) => {
    if (i > 0) parts.push(Buffer.from(','));
    parts.push(body);
  });
  parts.push(Buffer.from(']'));
  return Buffer.concat(parts);
}

/**
 * Posts the votes in batches of `batchSize`, `concurrency` batches in flight. With `votesPerSecond`,
 * batches start on a schedule (paced ingest) instead of back to back.
 */
export async function runBatches(options: {
  port: number;
  votes: SignedVotes;
  batchSize: number;
  concurrency: number;
  votesPerSecond?: number;
  maxSeconds?: number;
}): Promise<BatchResult> {
  const { votes, batchSize } = options;
  const bodies: Buffer[] = [];
  for (let start = 0; start < votes.bodies.length; start += batchSize) bodies.push(batchBody(votes.bodies.slice(start, start + batchSize)));
  const ack = newAcknowledged();
  const acks: BatchResult['acks'] = [];
  let next = 0;
  const started = performance.now();
  const intervalMs = options.votesPerSecond ? (batchSize * 1000) / options.votesPerSecond : 0;
  const deadline = options.maxSeconds ? started + options.maxSeconds * 1000 : Infinity;

  const worker = async () => {
    const connection = new HttpConnection('127.0.0.1', options.port);
    try {
      for (;;) {
        const b = next++;
        if (b >= bodies.length || performance.now() >= deadline) return;
        const due = started + b * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const response = await connection.post('/api/messages/batch', bodies[b]!);
        const at = performance.now();
        const first = b * batchSize;
        if (response.status !== 200) {
          refuse(ack, `${response.status} ${codeOf(response.body)}`, Math.min(batchSize, votes.bodies.length - first));
          continue;
        }
        const results = (JSON.parse(response.body.toString()) as { results: { ok: boolean; id?: string; status?: number; code?: string }[] }).results;
        let accepted = 0;
        results.forEach((result, k) => {
          if (result.ok) {
            accepted++;
            if (result.id !== votes.ids[first + k]) ack.wrongIds++;
            ack.ids.set(result.id ?? '', votes.voters[first + k]!);
          } else refuse(ack, `${result.status} ${result.code}`);
        });
        acks.push({ at, votes: accepted });
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { ...ack, requests: Math.min(next, bodies.length), seconds: (performance.now() - started) / 1000, acks };
}
