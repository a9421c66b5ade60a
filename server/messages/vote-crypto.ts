/**
 * The secp256k1 recovery of every EOA vote's signer runs in worker threads: it was most of the
 * event loop's crypto time per vote. The same native call as on the event loop
 * (server/eip712/ecdsa.ts), so the check is exactly as strict. (There is no per-vote signature: a
 * vote's receipt is its place in the log, under a tree head signed once per group commit.)
 *
 * Requests made in one event-loop turn go to a worker as one message (one transferred buffer), so
 * the hand-over costs a few microseconds per vote. With `threads: 0` everything runs inline.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.js';
import { bytesToHex } from '../eip712/digest.js';
import { recoverEoaBytes, signDigest } from '../eip712/ecdsa.js';
import { INPUT_RECORD, OUTPUT_RECORD } from './vote-crypto-layout.js';

export interface VoteCryptoResult {
  /** Lowercase address that made the signature, or null if it is not a valid low-s ECDSA signature. */
  signer: string | null;
}

/** A worker died or could not start: the vote was not checked (500, retryable). */
export class VoteCryptoError extends AppError {
  override name = 'VoteCryptoError';
  constructor(message: string, cause?: unknown) {
    super('INTERNAL_ERROR', 500, message, { retryable: true, cause });
  }
}

interface Job {
  digest: Uint8Array;
  signature: Uint8Array;
  resolve: (result: VoteCryptoResult) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  inFlight: Map<number, Job[]>;
}

/** The worker's source sits next to this file: .ts when run from sources (tsx, tap), .js when built. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./vote-crypto-worker${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

function startWorker(): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER_URL);
  // From sources, a worker does not always inherit the TypeScript loader (`node --import tsx`
  // registers it on the main thread only), so the worker registers tsx itself first.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
/** Most votes in one message to a worker, so a burst spreads over all of them. */
const MAX_BATCH = 128;

export class VoteCrypto {
  private readonly threads: Thread[] = [];
  private queue: Job[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: { threads: number; onWorkerError?: (error: unknown) => void }) {
    for (let i = 0; i < options.threads; i++) this.threads.push(this.spawn());
  }

  /** Recovers the signer of `signature` (65 bytes) over `digest`. */
  run(digest: Uint8Array, signature: Uint8Array): Promise<VoteCryptoResult> {
    if (this.closed) return Promise.reject(new VoteCryptoError('vote crypto is closed'));
    if (this.threads.length === 0 || signature.length !== 65 || digest.length !== 32) {
      return Promise.resolve(this.inline(digest, signature));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ digest, signature, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Ends the workers after the batches in flight; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    await Promise.all(
      this.threads.map(async (thread) => {
        while (thread.inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await thread.worker.terminate();
      }),
    );
  }

  private inline(digest: Uint8Array, signature: Uint8Array): VoteCryptoResult {
    const signer = recoverEoaBytes(digest, signature);
    return { signer: signer ? bytesToHex(signer) : null };
  }

  /**
   * Checks every worker against the event loop with a signature made here (by a fixed throwaway
   * key), so a worker that cannot start stops the server at boot instead of failing every vote.
   */
  async ready(): Promise<void> {
    const digest = new Uint8Array(32).fill(0x5a);
    const signature = signDigest(digest, new Uint8Array(32).fill(0x11));
    const expected = this.inline(digest, signature);
    await Promise.all(
      this.threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            const check = (result: VoteCryptoResult) =>
              result.signer !== null && result.signer === expected.signer
                ? resolve()
                : reject(new VoteCryptoError('a vote crypto worker gave a wrong answer to its self-test'));
            this.send(thread, [{ digest, signature, resolve: check, reject }]);
          }),
      ),
    );
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      // The thread with the fewest batches in flight.
      const thread = this.threads.reduce((best, t) => (t.inFlight.size < best.inFlight.size ? t : best));
      this.send(thread, this.queue.splice(0, MAX_BATCH));
    }
  }

  private send(thread: Thread, jobs: Job[]): void {
    const input = new Uint8Array(jobs.length * INPUT_RECORD);
    jobs.forEach((job, i) => {
      const at = i * INPUT_RECORD;
      input.set(job.digest, at);
      input.set(job.signature, at + 32);
    });
    const id = this.nextId++;
    thread.inFlight.set(id, jobs);
    thread.worker.postMessage({ id, input: input.buffer }, [input.buffer]);
  }

  private spawn(): Thread {
    const thread: Thread = {
      worker: startWorker(),
      inFlight: new Map(),
    };
    thread.worker.unref();
    thread.worker.on('message', ({ id, output }: { id: number; output: ArrayBuffer }) => {
      const jobs = thread.inFlight.get(id);
      if (!jobs) return;
      thread.inFlight.delete(id);
      const bytes = Buffer.from(output);
      jobs.forEach((job, i) => {
        const at = i * OUTPUT_RECORD;
        job.resolve({ signer: bytes[at] === 1 ? '0x' + bytes.toString('hex', at + 1, at + 21) : null });
      });
    });
    // A worker that fails takes its batches with it: they are refused (retryable), and a new one takes its place.
    const fail = (error: unknown) => {
      this.options.onWorkerError?.(error);
      for (const jobs of thread.inFlight.values()) for (const job of jobs) job.reject(new VoteCryptoError('a vote crypto worker failed', error));
      thread.inFlight.clear();
      if (this.closed) return;
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads[index] = this.spawn();
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => {
      if (!this.closed && this.threads.includes(thread)) fail(new Error(`worker exited with code ${code}`));
    });
    return thread;
  }
}
