/**
 * receipt-json.ts writes the answers of POST /api/messages and /api/messages/batch by hand. Its text
 * is exactly what the routes' 200 schemas describe: it parses back to the answer, in the schema's
 * field order, refused items keep only the schema's fields, and receipts that share a tree head each
 * carry it whole. The routes themselves are covered end to end by vote-batch.test.ts and log.test.ts.
 */
import t from 'tap';
import { acceptedText, batchResultsBytes, logReceiptText } from '../../server/routes/receipt-json.js';
import type { LogReceipt } from '../../core/log/append.js';
import type { BatchItemResult } from '../../server/messages/message-service.js';

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const head = { treeSize: 9, rootHash: hash(99), timestamp: 1_764_000_000_123, signature: `0x${'ab'.repeat(65)}` };
const receipt = (leafIndex: number, proof: number): LogReceipt => ({
  leafIndex,
  treeHead: head,
  inclusionProof: Array.from({ length: proof }, (_, i) => hash(leafIndex * 100 + i)),
});

t.test('a receipt: the schema fields in order, the proof as given, an empty proof as []', async (t) => {
  const text = logReceiptText(receipt(3, 4));
  t.same(JSON.parse(text), receipt(3, 4));
  t.equal(text.indexOf('"leafIndex"'), 1, 'leafIndex first');
  t.ok(text.indexOf('"treeHead"') < text.indexOf('"inclusionProof"'), 'then treeHead, then inclusionProof');
  t.same(JSON.parse(logReceiptText({ leafIndex: 0, treeHead: { ...head, treeSize: 1 }, inclusionProof: [] })).inclusionProof, []);
});

t.test('a single answer parses back to itself', async (t) => {
  const accepted = { id: hash(7), type: 'Vote' as const, receivedAt: '2026-12-05T01:02:03.456Z', receipt: receipt(7, 3) };
  t.same(JSON.parse(acceptedText(accepted)), accepted);
});

t.test('a batch: accepted items with their receipts, refused items with only the schema fields', async (t) => {
  const results = [
    { ok: true, id: hash(1), type: 'Vote', receivedAt: '2026-12-05T01:02:03.456Z', receipt: receipt(1, 4) },
    { ok: true, id: hash(2), type: 'Vote', receivedAt: '2026-12-05T01:02:03.457Z', receipt: receipt(2, 4) },
    { ok: false, status: 409, code: 'DUPLICATE', message: 'message "x" was already received \\ "quoted"', details: { id: hash(3) } },
    {
      ok: false,
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'the database is unavailable; retry shortly',
      retryable: true,
      cause: 'not in the schema',
    },
  ] as unknown as BatchItemResult[];
  const parsed = JSON.parse(batchResultsBytes({ results }).toString('utf8'));
  t.same(parsed.results.slice(0, 3), results.slice(0, 3));
  t.same(parsed.results[3], { ok: false, status: 503, code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry shortly', retryable: true });
  t.notOk('cause' in parsed.results[3], 'a field the schema does not name is not sent');
  t.same(parsed.results[0].receipt.treeHead, head, 'a shared tree head is written whole in each receipt');
  t.same(parsed.results[1].receipt.treeHead, head);
  t.same(JSON.parse(batchResultsBytes({ results: [] }).toString('utf8')), { results: [] });
});
