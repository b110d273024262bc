import { describe, expect, it } from 'vitest';
import { atMostCeiling, SESSION_COUNT_CEILING } from './session-count.js';

describe('atMostCeiling: sums of session counts held to 2^53 - 1', () => {
  it('is the ceiling of the largest count a report may carry', () => {
    expect(SESSION_COUNT_CEILING).toBe(2 ** 53 - 1);
  });

  it('leaves a sum below the ceiling exact and stops one at or above it, however it was rounded on the way', () => {
    const max = SESSION_COUNT_CEILING;
    expect(atMostCeiling(max - 1)).toBe(max - 1);
    expect(atMostCeiling(max)).toBe(max);
    // Each of these exceeds 2^53 as an exact sum; in doubles the partial sums round but never fall back below it.
    const sums = [
      [max, 1],
      [max, max, max],
      [1, 2 ** 52, 2 ** 52],
      Array.from({ length: 1100 }, () => max),
    ].map((counts) => atMostCeiling(counts.reduce((a, b) => a + b, 0)));
    expect(sums).toEqual([max, max, max, max]);
    expect(atMostCeiling([2 ** 52, 2 ** 52 - 2, 1].reduce((a, b) => a + b, 0))).toBe(max);
    expect(atMostCeiling([2 ** 52, 2 ** 52 - 3, 1].reduce((a, b) => a + b, 0))).toBe(max - 1);
  });
});
