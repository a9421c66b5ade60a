/**
 * A worker thread of verify/recover-pool.ts: recovers the signers of (digest, signature) pairs with
 * recoverSigner (libsecp256k1), so the recoveries of a 100,000-message proposal use every core.
 */
import { parentPort } from 'node:worker_threads';
import { recoverSigner } from './signatures.js';

parentPort!.on('message', (job: { id: number; digests: string[]; signatures: string[] }) => {
  const signers = job.digests.map((digest, i) => recoverSigner(digest, job.signatures[i]!));
  parentPort!.postMessage({ id: job.id, signers });
});
