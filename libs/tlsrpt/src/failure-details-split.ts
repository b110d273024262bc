/**
 * Splits the failure-details arrays out of a report's JSON (its UTF-8 bytes), so that a large report is parsed a batch
 * of failure details at a time instead of as one object tree (a 20 MiB report is ~75,000 details), and never becomes
 * one string. Structural characters are ASCII and never occur inside a multi-byte sequence, so the bytes are walked
 * as the text would be.
 *
 * Every array that is the value of `failure-details` in a policies entry (an element of the top-level `policies`
 * array, or `policies` itself when it is an object) is replaced in `skeleton` by `[n]`, n indexing `arrays`, which
 * holds the byte span of each element. JSON.parse(skeleton) then gives the report with placeholders where those arrays
 * were. Only the structure that leads to those arrays is walked; everything else is skipped by bracket counting and
 * left to JSON.parse(skeleton) to validate. The separators inside a split array are checked here and each element is
 * validated when it is parsed on its own, so the text is valid JSON exactly when the skeleton and every element are.
 * Returns null when the text does not have the expected shape (not an object, or malformed): the caller then parses
 * it whole, which gives the usual error.
 *
 * The walk also measures how deep arrays and objects nest (`maxDepth`, counted as `jsonNestingExceeds` counts):
 * a caller that checks it before any JSON.parse need not scan the bytes a second time for the depth limit.
 */
export interface SplitReportText {
  skeleton: string;
  arrays: ElementSpans[];
  maxDepth: number;
}

/** Element k of a split array is the bytes `starts[k]` to `ends[k]`. */
export interface ElementSpans {
  starts: number[];
  ends: number[];
}

class Malformed extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of `bytes` from `start` to `end` (valid UTF-8, cut at ASCII characters). */
export function utf8Slice(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

/** `bytes` must be valid UTF-8. */
export function splitFailureDetails(bytes: Uint8Array): SplitReportText | null {
  try {
    return new Splitter(bytes).run();
  } catch (err) {
    if (err instanceof Malformed) return null;
    throw err;
  }
}

class Splitter {
  private readonly pieces: string[] = [];
  private copiedTo = 0;
  private readonly arrays: ElementSpans[] = [];
  /** Arrays and objects open around the walk's position; the deepest point seen so far. */
  private depth = 0;
  private maxDepth = 0;

  constructor(private readonly bytes: Uint8Array) {}

  run(): SplitReportText {
    const start = this.ws(0);
    if (this.bytes[start] !== 0x7b) throw new Malformed();
    const end = this.members(start, (key, at) => (key === 'policies' ? this.policies(at) : this.skip(at)));
    if (this.ws(end) !== this.bytes.length) throw new Malformed();
    this.pieces.push(utf8Slice(this.bytes, this.copiedTo, this.bytes.length));
    return { skeleton: this.pieces.join(''), arrays: this.arrays, maxDepth: this.maxDepth };
  }

  private policies(at: number): number {
    const c = this.bytes[at];
    if (c === 0x7b) return this.policyEntry(at);
    if (c !== 0x5b) return this.skip(at);
    return this.elements(at, (element) => (this.bytes[element] === 0x7b ? this.policyEntry(element) : this.skip(element)));
  }

  private policyEntry(at: number): number {
    return this.members(at, (key, value) => (key === 'failure-details' && this.bytes[value] === 0x5b ? this.split(value) : this.skip(value)));
  }

  /** Replaces the array at `at` by a placeholder and records its elements. */
  private split(at: number): number {
    const spans: ElementSpans = { starts: [], ends: [] };
    const end = this.elements(at, (element) => {
      const elementEnd = this.skip(element);
      spans.starts.push(element);
      spans.ends.push(elementEnd);
      return elementEnd;
    });
    this.pieces.push(utf8Slice(this.bytes, this.copiedTo, at), `[${this.arrays.length}]`);
    this.copiedTo = end;
    this.arrays.push(spans);
    return end;
  }

  /** Walks `{ "key": value, ... }` at `at`; `value` consumes a member's value and returns where it ends. */
  private members(at: number, value: (key: string, at: number) => number): number {
    this.enter();
    let i = this.ws(at + 1);
    if (this.bytes[i] === 0x7d) return this.leave(i + 1);
    for (;;) {
      if (this.bytes[i] !== QUOTE) throw new Malformed();
      const keyEnd = this.stringEnd(i);
      const token = utf8Slice(this.bytes, i, keyEnd);
      const key = token.includes('\\') ? this.decodeKey(token) : token.slice(1, -1);
      i = this.ws(keyEnd);
      if (this.bytes[i] !== 0x3a) throw new Malformed();
      i = this.ws(value(key, this.ws(i + 1)));
      const c = this.bytes[i];
      if (c === 0x7d) return this.leave(i + 1);
      if (c !== 0x2c) throw new Malformed();
      i = this.ws(i + 1);
    }
  }

  /** Walks `[ value, ... ]` at `at`; `element` consumes one element and returns where it ends. */
  private elements(at: number, element: (at: number) => number): number {
    this.enter();
    let i = this.ws(at + 1);
    if (this.bytes[i] === 0x5d) return this.leave(i + 1);
    for (;;) {
      i = this.ws(element(i));
      const c = this.bytes[i];
      if (c === 0x5d) return this.leave(i + 1);
      if (c !== 0x2c) throw new Malformed();
      i = this.ws(i + 1);
    }
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.maxDepth = this.depth;
  }

  private leave(end: number): number {
    this.depth--;
    return end;
  }

  private decodeKey(token: string): string {
    try {
      return JSON.parse(token) as string;
    } catch {
      throw new Malformed();
    }
  }

  /** End of the value at `at`, found by matching brackets outside strings; validity is JSON.parse's job. */
  private skip(at: number): number {
    const bytes = this.bytes;
    const first = bytes[at];
    if (first === QUOTE) return this.stringEnd(at);
    if (first !== 0x7b && first !== 0x5b) {
      let i = at;
      while (i < bytes.length && !isDelimiter(bytes[i])) i++;
      if (i === at) throw new Malformed();
      return i;
    }
    let depth = 0;
    let deepest = 0;
    for (let i = at; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === QUOTE) i = this.stringEnd(i) - 1;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > deepest) deepest = depth;
      } else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
        if (this.depth + deepest > this.maxDepth) this.maxDepth = this.depth + deepest;
        return i + 1;
      }
    }
    throw new Malformed();
  }

  /** Index just past the closing quote of the string that starts at `at`. */
  private stringEnd(at: number): number {
    const bytes = this.bytes;
    for (let i = at + 1; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) return i + 1;
    }
    throw new Malformed();
  }

  private ws(at: number): number {
    let i = at;
    for (;;) {
      const c = this.bytes[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i++;
    }
  }
}

/** Where a number or literal ends: JSON whitespace, a separator or a closing bracket (or a stray opening one). */
function isDelimiter(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x5d || c === 0x7d || c === 0x5b || c === 0x7b || c === QUOTE || c === 0x3a;
}
