/** Length of a string in Unicode code points (what the API's character limits count), stopping at `stopAt`. */
export function codePointCount(text: string, stopAt = Infinity): number {
  let count = 0;
  for (let i = 0; i < text.length && count < stopAt; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
