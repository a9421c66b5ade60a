/**
 * The answers of POST /api/messages and POST /api/messages/batch as JSON text, written by hand.
 *
 * A batch of 500 votes answers with 500 receipts of ~20 hashes each (≈650 KB): the schema serializer
 * checked every one of those strings for characters to escape, and serialised the group commit's tree
 * head again for every vote. Here each tree head is serialised once (receipts of one append share its
 * object), and the proof's hashes, 0x hex made by core/log/merkle.ts's toHex, go in without an escaping pass.
 * The text is what the routes' response schemas describe (test/server/receipt-json.test.ts).
 */
import type { SignedTreeHead, LogReceipt } from '../../core/log/append.js';
import type { BatchItemResult } from '../messages/message-service.js';
import type { Receipt } from '../messages/submission.js';
import { joinedBytes } from '../joined-text.js';

const headTexts = new WeakMap<SignedTreeHead, string>();

function treeHeadText(head: SignedTreeHead): string {
  let text = headTexts.get(head);
  if (text === undefined) {
    text = JSON.stringify({ treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, signature: head.signature });
    headTexts.set(head, text);
  }
  return text;
}

export function logReceiptText(receipt: LogReceipt): string {
  const proof = receipt.inclusionProof.length === 0 ? '[]' : `["${receipt.inclusionProof.join('","')}"]`;
  return `{"leafIndex":${receipt.leafIndex},"treeHead":${treeHeadText(receipt.treeHead)},"inclusionProof":${proof}}`;
}

/** The fields of an accepted message's answer, without the braces around them. */
function acceptedFields(accepted: Receipt): string {
  return `"id":${JSON.stringify(accepted.id)},"type":${JSON.stringify(accepted.type)},"receivedAt":${JSON.stringify(accepted.receivedAt)},"receipt":${logReceiptText(accepted.receipt)}`;
}

/** POST /api/messages: { id, type, receivedAt, receipt }. */
export function acceptedText(accepted: Receipt): string {
  return `{${acceptedFields(accepted)}}`;
}

/** One batch item: accepted as above with ok: true, or refused with only the fields the schema names. */
function batchItemText(item: BatchItemResult): string {
  if (item.ok) return `{"ok":true,${acceptedFields(item)}}`;
  const { ok, status, code, message, details, retryable } = item;
  return JSON.stringify({ ok, status, code, message, details, retryable });
}

/** POST /api/messages/batch: { results: [...] }, ~650 KB for 500 votes, as UTF-8 bytes (joinedBytes). */
export function batchResultsBytes(answer: { results: readonly BatchItemResult[] }): Buffer {
  return joinedBytes('{"results":[', answer.results.map(batchItemText), ']}');
}
