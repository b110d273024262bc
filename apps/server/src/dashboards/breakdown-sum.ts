export interface BreakdownSum {
  total: number;
  /** Distinct values over the whole period. */
  valueCount: number;
  /** The `limit` values with most failed sessions; ties in byte order of the UTF-8 value (as `COLLATE "C"` sorts). */
  largest: Array<[string, number]>;
}

/** Sums rollup value lists (`value_list[i]` has `session_list[i]` failed sessions) over a period. */
export function sumValueLists(lists: Array<{ v: string[]; s: number[] }>, limit: number): BreakdownSum {
  const byValue = new Map<string, number>();
  let total = 0;
  for (const { v, s } of lists) {
    for (let i = 0; i < v.length; i++) {
      byValue.set(v[i], (byValue.get(v[i]) ?? 0) + s[i]);
      total += s[i];
    }
  }
  // Code-unit order is code-point order unless a value holds a surrogate: then the slower comparison is needed.
  const entries = [...byValue];
  const tie = entries.some(([v]) => SURROGATE.test(v)) ? byCodePoint : byCodeUnit;
  const largest = entries.sort((a, b) => b[1] - a[1] || tie(a[0], b[0])).slice(0, limit);
  return { total, valueCount: byValue.size, largest };
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
