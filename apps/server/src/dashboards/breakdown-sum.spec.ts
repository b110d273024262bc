import { describe, expect, it } from 'vitest';
import { byCodePoint, firstInOrder, ValueListSum } from './breakdown-sum.js';

function sumValueLists(lists: Array<{ v: string[]; s: number[] }>, limit: number) {
  const sum = new ValueListSum();
  for (const list of lists) sum.add(list);
  return sum.result(limit);
}

describe('ValueListSum: a breakdown from the rollup value lists of a period', () => {
  it('adds each value over days and months, counts distinct values and keeps the largest', () => {
    const lists = [
      { v: ['192.0.2.1', '192.0.2.2', ''], s: [5, 1, 2] },
      { v: ['192.0.2.2', '192.0.2.3'], s: [7, 1] },
    ];
    expect(sumValueLists(lists, 2)).toEqual({ total: 16, valueCount: 4, largest: [['192.0.2.2', 8], ['192.0.2.1', 5]] });
    expect(sumValueLists([], 10)).toEqual({ total: 0, valueCount: 0, largest: [] });
  });

  it('sums stop at the session-count ceiling (2^53 - 1); values at it tie and sort by value', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const sum = sumValueLists([{ v: ['b', 'a', 'c'], s: [max, max - 1, 5] }, { v: ['a', 'c'], s: [max, 1] }], 10);
    expect(sum).toEqual({ total: max, valueCount: 3, largest: [['a', max], ['b', max], ['c', 6]] });
  });

  it('ties sort by value in UTF-8 byte order, as PostgreSQL COLLATE "C" does', () => {
    const values = ['b', 'a', 'B', 'é', '\uffff', '😀', 'ab', ''];
    const { largest } = sumValueLists([{ v: values, s: values.map(() => 1) }], 100);
    const bytes = [...values].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(largest.map(([v]) => v)).toEqual(bytes);
  });

  it('byCodePoint puts a code point above U+FFFF after U+FFFF (UTF-16 code units would not)', () => {
    expect(byCodePoint('😀', '\uffff')).toBeGreaterThan(0);
    expect(byCodePoint('a', 'ab')).toBeLessThan(0);
    expect(byCodePoint('x', 'x')).toBe(0);
  });
});

describe('ValueListSum tie order without surrogates', () => {
  it('plain text values tie in the same byte order', () => {
    const values = ['mx2.example', 'MX1.example', 'mx1.example', 'é.example', '\uffff', '', 'mx10.example'];
    const { largest } = sumValueLists([{ v: values, s: values.map(() => 3) }], 100);
    expect(largest.map(([v]) => v)).toEqual([...values].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  });
});

describe('firstInOrder: the top entries without sorting them all', () => {
  const order = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

  it('gives the same entries as sorting everything and cutting, for every limit, in any input order', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const entries: Array<[string, number]> = Array.from({ length: 500 }, (_, i) => [`v${i}`, Math.floor(random() * 40)]);
    const ascending = [...entries].sort((a, b) => -order(a, b));
    for (const input of [entries, ascending, [...ascending].reverse()]) {
      for (const limit of [0, 1, 2, 3, 17, 100, 499, 500, 600]) {
        expect(firstInOrder(input, limit, order)).toEqual([...entries].sort(order).slice(0, limit));
      }
    }
  });

  it('keeps ties at the cut in value order', () => {
    const entries: Array<[string, number]> = [['d', 1], ['c', 1], ['b', 1], ['a', 1], ['z', 2]];
    expect(firstInOrder(entries, 3, order)).toEqual([['z', 2], ['a', 1], ['b', 1]]);
  });
});
