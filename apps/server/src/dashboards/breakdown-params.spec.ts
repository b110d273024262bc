import { describe, expect, it } from 'vitest';
import { breakdownParams } from './dashboards.service.js';

describe('breakdown periods split into whole months (monthly rollup) and edge days (daily rollup)', () => {
  const split = (from: string, to: string) => breakdownParams('example.com', 'sending-ip', { from, to }).slice(4);

  it('a calendar year is twelve whole months', () => {
    expect(split('2024-01-01', '2024-12-31')).toEqual(['2024-01-01', '2025-01-01']);
  });

  it('partial months at both ends stay daily; the whole months between come from the monthly rollup', () => {
    expect(split('2024-01-15', '2024-03-10')).toEqual(['2024-02-01', '2024-03-01']);
  });

  it('a period inside one month, or a month minus a day, has no whole month (empty monthly range)', () => {
    expect(split('2024-03-02', '2024-03-31')).toEqual(['2024-04-01', '2024-04-01']);
    expect(split('2024-03-01', '2024-03-30')).toEqual(['2024-03-01', '2024-03-01']);
    expect(split('2024-03-05', '2024-03-05')).toEqual(['2024-04-01', '2024-04-01']);
  });

  it('February of a leap year ends on the 29th', () => {
    expect(split('2024-02-01', '2024-02-29')).toEqual(['2024-02-01', '2024-03-01']);
    expect(split('2024-02-01', '2024-02-28')).toEqual(['2024-02-01', '2024-02-01']);
  });
});
