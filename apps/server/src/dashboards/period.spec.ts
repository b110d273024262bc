import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { addDays, daysOf, resolvePeriod } from './period.js';

const now = new Date('2024-03-15T23:30:00Z');

describe('dashboard periods (UTC days, both ends included)', () => {
  it('defaults to the 30 days ending today (UTC)', () => {
    expect(resolvePeriod({}, now)).toEqual({ from: '2024-02-15', to: '2024-03-15' });
    expect(daysOf(resolvePeriod({}, now))).toHaveLength(30);
  });

  it('from defaults to 29 days before an explicit to, across a leap day', () => {
    expect(resolvePeriod({ to: '2024-03-01' }, now)).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('one day is a valid period; from after to is refused naming from', () => {
    expect(daysOf(resolvePeriod({ from: '2024-03-02', to: '2024-03-02' }, now))).toEqual(['2024-03-02']);
    expect(() => resolvePeriod({ from: '2024-03-03', to: '2024-03-02' }, now)).toThrow(BadRequestException);
  });

  it('a period longer than 731 days is refused', () => {
    // 2022-03-03 .. 2024-03-02 is 365 + 366 days (2024-02-29 included).
    expect(resolvePeriod({ from: '2022-03-03', to: '2024-03-02' }, now)).toEqual({ from: '2022-03-03', to: '2024-03-02' });
    expect(() => resolvePeriod({ from: '2022-03-02', to: '2024-03-02' }, now)).toThrow(/at most 731 days/);
  });
});
