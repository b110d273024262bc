import { atMostCeiling } from '@app/tlsrpt';

export interface BreakdownSum {
  total: number;
  /** Distinct values over the whole period. */
  valueCount: number;
  /** The `limit` values with most failed sessions; ties in byte order of the UTF-8 value (as `COLLATE "C"` sorts). */
  largest: Array<[string, number]>;
}

/**
 * Sums rollup value lists (`value_list[i]` has `session_list[i]` failed sessions) over a period, fed one rollup row at
 * a time: the service adds each row as it arrives, while PostgreSQL is still sending the next ones.
 */
export class ValueListSum {
  // Each distinct value is looked up once per occurrence and stored once: its sum lives in an array, not the Map.
  private readonly indexOf = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly sums: number[] = [];
  private total = 0;

  add({ v, s }: { v: string[]; s: number[] }): void {
    for (let i = 0; i < v.length; i++) {
      const at = this.indexOf.get(v[i]);
      if (at === undefined) {
        this.indexOf.set(v[i], this.values.length);
        this.values.push(v[i]);
        this.sums.push(s[i]);
      } else this.sums[at] += s[i];
      this.total += s[i];
    }
  }

  result(limit: number): BreakdownSum {
    const { values, sums } = this;
    // Code-unit order is code-point order unless a value holds a surrogate: then the slower comparison is needed.
    const tie = values.some((v) => SURROGATE.test(v)) ? byCodePoint : byCodeUnit;
    const order = (a: [string, number], b: [string, number]) => b[1] - a[1] || tie(a[0], b[0]);
    const entries = values.map((v, i): [string, number] => [v, atMostCeiling(sums[i])]);
    return { total: atMostCeiling(this.total), valueCount: values.length, largest: firstInOrder(entries, limit, order) };
  }
}

/**
 * The `limit` first entries in `order`, sorted. A screen asks for the top 100 of tens of thousands of values: a heap
 * holding the best `limit` seen so far (its root the worst of them) skips sorting all of them.
 */
export function firstInOrder(entries: Iterable<[string, number]>, limit: number, order: (a: [string, number], b: [string, number]) => number): Array<[string, number]> {
  const heap: Array<[string, number]> = [];
  // `worse(i, j)`: heap[i] comes after heap[j] in `order`, so it belongs nearer the root.
  const worse = (i: number, j: number) => order(heap[i], heap[j]) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  for (const entry of entries) {
    if (heap.length < limit) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      continue;
    }
    if (limit === 0 || order(entry, heap[0]) >= 0) continue;
    heap[0] = entry;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(l, w)) w = l;
      if (r < heap.length && worse(r, w)) w = r;
      if (w === i) break;
      swap(i, w);
      i = w;
    }
  }
  return heap.sort(order);
}

const SURROGATE = /[\ud800-\udfff]/;

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order, which is UTF-8 byte order: a surrogate (half of a code point above U+FFFF) sorts after any other code unit. */
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
