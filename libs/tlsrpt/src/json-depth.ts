/**
 * True when arrays/objects nest deeper than `maxDepth` in JSON text. Scans the raw text so a
 * hostile report is refused before `JSON.parse` builds it. Brackets inside strings do not count.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Most of a report is string content: jump to the closing quote (one not escaped by an odd run of backslashes).
      i = closingQuote(text, i + 1);
      if (i < 0) return false; // unterminated: JSON.parse reports it
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}
