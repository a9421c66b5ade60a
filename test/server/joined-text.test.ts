/**
 * joinedBytes is joinedText as UTF-8 bytes, written in pieces: the same bytes whatever the size,
 * including multi-byte characters and items on both sides of a piece boundary.
 */
import t from 'tap';
import { joinedBytes, joinedText } from '../../server/joined-text.js';

const same = (t: { same: (a: unknown, b: unknown) => unknown }, head: string, items: string[], tail: string) =>
  t.same(joinedBytes(head, items, tail), Buffer.from(joinedText(head, items, tail), 'utf8'));

t.test('small: one piece, empty and single lists', async (t) => {
  same(t, '[', [], ']');
  same(t, '[', ['1'], ']');
  same(t, '{"a":[', ['"x"', '"y"'], ']}');
});

t.test('large: many pieces, multi-byte characters across boundaries', async (t) => {
  const items = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, text: `vote ${i} ✓ é 𝄞 ${'x'.repeat(i % 97)}` }));
  const bytes = joinedBytes('{"results":[', items, ']}');
  t.ok(bytes.length > 200_000, 'spans several pieces');
  same(t, '{"results":[', items, ']}');
  t.same(JSON.parse(bytes.toString('utf8')).results.length, 3000);
});
