/**
 * Large JSON and SQL texts made in one copy. Built by concatenation (`${head}${items.join(',')}${tail}`),
 * a text of hundreds of kilobytes is a rope that V8 flattens again wherever it is read whole (a
 * search in it, Buffer.byteLength before it is written), each time into a fresh large-object
 * allocation. One join of all the pieces makes it flat once.
 */
export function joinedText(head: string, items: readonly string[], tail: string): string {
  const pieces: string[] = [head];
  items.forEach((item, i) => {
    if (i > 0) pieces.push(',');
    pieces.push(item);
  });
  pieces.push(tail);
  return pieces.join('');
}

/**
 * Text pieces are joined up to this many characters before they are written out: below V8's
 * large-object size (128 KiB), so each is an ordinary young-generation string.
 */
const PIECE_CHARS = 32 * 1024;

/**
 * The same text as joinedText, as UTF-8 bytes, for an answer that is written and never read again.
 * A string of hundreds of kilobytes lives in V8's large-object space: every one is a fresh memory
 * mapping, touched page by page (a page fault each 4 KiB; about 13 µs apiece on one 2-core VM), and
 * node's HTTP response copies a string body once more to put its headers in front. Here the text is
 * joined in pieces below that size and written into one buffer, which node sends as it is.
 */
export function joinedBytes(head: string, items: readonly string[], tail: string): Buffer {
  const pieces: string[] = [];
  let piece: string[] = [head];
  let chars = head.length;
  items.forEach((item, i) => {
    if (i > 0) piece.push(',');
    piece.push(item);
    chars += item.length + 1;
    if (chars >= PIECE_CHARS) {
      pieces.push(piece.join(''));
      piece = [];
      chars = 0;
    }
  });
  piece.push(tail);
  pieces.push(piece.join(''));
  // Buffer.byteLength is exact, so every piece fits where the previous one ended.
  const bytes = Buffer.allocUnsafe(pieces.reduce((sum, text) => sum + Buffer.byteLength(text), 0));
  let offset = 0;
  for (const text of pieces) offset += bytes.write(text, offset);
  return bytes;
}
