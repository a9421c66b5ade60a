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
