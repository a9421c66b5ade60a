/**
 * A vote crypto worker thread (see vote-crypto.ts): for each record of a batch, recovers the EOA
 * that signed the vote's digest and signs the vote's receipt digest with the receipt key.
 *
 * In:  { id, input }  input = n × [digest 32][signature 65][receipt digest 32]
 * Out: { id, output } output = n × [recovered 1][address 20][receipt 65]
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recoverEoaBytes, signDigest } from '../eip712/ecdsa.js';
import { INPUT_RECORD, OUTPUT_RECORD } from './vote-crypto-layout.js';

const receiptKey = new Uint8Array(workerData.receiptKey as Uint8Array);

parentPort!.on('message', ({ id, input }: { id: number; input: ArrayBuffer }) => {
  const records = input.byteLength / INPUT_RECORD;
  const bytes = new Uint8Array(input);
  const output = new Uint8Array(records * OUTPUT_RECORD);
  for (let i = 0; i < records; i++) {
    const at = i * INPUT_RECORD;
    const out = i * OUTPUT_RECORD;
    const signer = recoverEoaBytes(bytes.subarray(at, at + 32), bytes.subarray(at + 32, at + 97));
    if (signer) {
      output[out] = 1;
      output.set(signer, out + 1);
    }
    output.set(signDigest(bytes.subarray(at + 97, at + 129), receiptKey), out + 21);
  }
  parentPort!.postMessage({ id, output: output.buffer }, [output.buffer]);
});
