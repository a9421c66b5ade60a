/**
 * ECDSA recovery of many (digest, signature) pairs on worker threads, one per core: a recovery per
 * message (two when receipts were signatures) was the largest CPU share left on a 100,000-vote
 * proposal, and a member's machine has more than one core. The answers are recoverSigner's, in order.
 *
 * A pool takes pairs in several calls (verify.ts sends each page of messages as it arrives, so the
 * recoveries run while the next pages are read) and keeps its workers until it is closed. Until
 * 4,000 pairs have been asked for (or with one core) they are recovered on this thread: starting a
 * worker costs more than a few thousand recoveries.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { recoverSigner } from './signatures.js';

const CHUNK = 2000;

/** The worker's source sits next to this file: .ts when run from sources (tsx, tap), .js when built. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./recover-worker${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

function startWorker(): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER_URL);
  // From sources, a worker does not inherit the TypeScript loader (`node --import tsx` registers it
  // on the main thread only), so the worker registers tsx itself before loading its module.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

type Pair = { digest: string; signature: string };

export interface RecoverPool {
  /** recoverSigner of each pair, in order. */
  recover(pairs: readonly Pair[]): Promise<(string | null)[]>;
  /** Stops the workers (they would keep the process alive). */
  close(): Promise<void>;
}

interface Job {
  pairs: readonly Pair[];
  done: (signers: (string | null)[]) => void;
  fail: (error: unknown) => void;
}

export function createRecoverPool(threads = availableParallelism()): RecoverPool {
  const queue: Job[] = [];
  const idle: Worker[] = [];
  /** The job each busy worker runs (one at a time: its next answer is that job's). */
  const busy = new Map<Worker, Job>();
  let workers: Worker[] | null = null;
  let failure: unknown = null;
  let asked = 0;

  const failAll = (error: unknown) => {
    failure ??= error;
    for (const job of [...queue.splice(0), ...busy.values()]) job.fail(failure);
    busy.clear();
  };
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.postMessage({ id: 0, digests: job.pairs.map((p) => p.digest), signatures: job.pairs.map((p) => p.signature) });
    }
  };
  const start = () => {
    workers = Array.from({ length: threads }, startWorker);
    for (const worker of workers) {
      worker.on('message', (answer: { signers: (string | null)[] }) => {
        const job = busy.get(worker);
        busy.delete(worker);
        idle.push(worker);
        job?.done(answer.signers);
        dispatch();
      });
      // A worker that fails fails the pool: its job, the queued ones and any asked later.
      worker.once('error', failAll);
    }
    idle.push(...workers);
  };

  return {
    async recover(pairs) {
      if (failure) throw failure;
      asked += pairs.length;
      if (threads < 2 || (workers === null && asked < 2 * CHUNK)) return pairs.map((p) => recoverSigner(p.digest, p.signature));
      if (workers === null) start();
      const chunks: Promise<(string | null)[]>[] = [];
      for (let i = 0; i < pairs.length; i += CHUNK) {
        chunks.push(new Promise((done, fail) => queue.push({ pairs: pairs.slice(i, i + CHUNK), done, fail })));
      }
      dispatch();
      return (await Promise.all(chunks)).flat();
    },
    async close() {
      const running = workers ?? [];
      workers = [];
      failAll(new Error('the recovery pool is closed'));
      await Promise.all(running.map((w) => w.terminate()));
    },
  };
}

/** The signers of `pairs` on a pool of its own (closed before it returns). */
export async function recoverSigners(pairs: readonly Pair[], threads = availableParallelism()): Promise<(string | null)[]> {
  const pool = createRecoverPool(threads);
  try {
    return await pool.recover(pairs);
  } finally {
    await pool.close();
  }
}
