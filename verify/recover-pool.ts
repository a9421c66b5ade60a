/**
 * ECDSA recovery of many (digest, signature) pairs on worker threads, one per core: two recoveries
 * per message (its signature and its receipt's) were the largest CPU share left on a 100,000-vote
 * proposal, and a member's machine has more than one core. The answers are recoverSigner's, in order.
 * Few pairs (or one core) are recovered on this thread: starting a worker costs more than they do.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { recoverSigner } from './signatures.js';

const CHUNK = 2000;

export async function recoverSigners(pairs: readonly { digest: string; signature: string }[], threads = availableParallelism()): Promise<(string | null)[]> {
  if (threads < 2 || pairs.length < 2 * CHUNK) return pairs.map((p) => recoverSigner(p.digest, p.signature));
  // Plain JavaScript: a worker thread does not inherit the TypeScript loader (node --import tsx).
  const workerUrl = new URL('./recover-worker.mjs', import.meta.url);
  const workers = Array.from({ length: Math.min(threads, Math.ceil(pairs.length / CHUNK)) }, () => new Worker(workerUrl));
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
