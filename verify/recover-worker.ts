/**
 * A worker thread of recover-pool.ts: recovers the signers of (digest, signature) pairs with the same
 * recoverSigner as the main thread (signatures.ts).
 */
import { parentPort } from 'node:worker_threads';
import { recoverSigner } from './signatures.js';

parentPort!.on('message', (job: { id: number; digests: string[]; signatures: string[] }) => {
  const signers = job.digests.map((digest, i) => recoverSigner(digest, job.signatures[i]!));
  parentPort!.postMessage({ id: job.id, signers });
});
