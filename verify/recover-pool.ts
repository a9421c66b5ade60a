/**
 * ECDSA recovery of many (digest, signature) pairs on worker threads, one per core: a recovery per
 * message (two when receipts were signatures) was the largest CPU share left on a 100,000-vote
 * proposal, and a member's machine has more than one core. The answers are recoverSigner's, in order.
 * Few pairs (or one core) are recovered on this thread: starting a worker costs more than they do.
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

export async function recoverSigners(pairs: readonly { digest: string; signature: string }[], threads = availableParallelism()): Promise<(string | null)[]> {
  if (threads < 2 || pairs.length < 2 * CHUNK) return pairs.map((p) => recoverSigner(p.digest, p.signature));
  const workers = Array.from({ length: Math.min(threads, Math.ceil(pairs.length / CHUNK)) }, startWorker);
  const out = new Array<string | null>(pairs.length);
  try {
    let next = 0;
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((done, fail) => {
            const send = () => {
              if (next >= pairs.length) return done();
              const start = next;
              next += CHUNK;
              const chunk = pairs.slice(start, start + CHUNK);
              worker.once('message', (answer: { id: number; signers: (string | null)[] }) => {
                answer.signers.forEach((signer, i) => (out[answer.id + i] = signer));
                send();
              });
              worker.postMessage({ id: start, digests: chunk.map((p) => p.digest), signatures: chunk.map((p) => p.signature) });
            };
            worker.once('error', fail);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
