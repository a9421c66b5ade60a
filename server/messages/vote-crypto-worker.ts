/**
 * A vote crypto worker thread (see vote-crypto.ts): for each record of a batch, recovers the EOA
 * that signed the vote's digest.
 *
 * In:  { id, input }  input = n × [digest 32][signature 65]
 * Out: { id, output } output = n × [recovered 1][address 20]
 */
import { parentPort } from 'node:worker_threads';
import { recoverEoaBytes } from '../eip712/ecdsa.js';
import { INPUT_RECORD, OUTPUT_RECORD } from './vote-crypto-layout.js';

parentPort!.on('message', ({ id, input }: { id: number; input: ArrayBuffer }) => {
  const records = input.byteLength / INPUT_RECORD;
  const bytes = new Uint8Array(input);
  const output = new Uint8Array(records * OUTPUT_RECORD);
  for (let i = 0; i < records; i++) {
    const at = i * INPUT_RECORD;
    const signer = recoverEoaBytes(bytes.subarray(at, at + 32), bytes.subarray(at + 32, at + 97));
    if (signer) {
      output[i * OUTPUT_RECORD] = 1;
      output.set(signer, i * OUTPUT_RECORD + 1);
    }
  }
  parentPort!.postMessage({ id, output: output.buffer }, [output.buffer]);
});
