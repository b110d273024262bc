import { describe, expect, it } from 'vitest';
import { breakdownStatement, splitPeriod } from './breakdown-sql.js';

describe('breakdown periods split into whole months (monthly rollup) and edge days (daily rollup)', () => {
  const split = (from: string, to: string) => splitPeriod({ from, to });

  it('a calendar year is twelve whole months and no day', () => {
    expect(split('2024-01-01', '2024-12-31')).toEqual({ months: { from: '2024-01-01', until: '2025-01-01' }, days: [] });
  });

  it('partial months at both ends stay daily; the whole months between come from the monthly rollup', () => {
    expect(split('2024-01-15', '2024-03-10')).toEqual({
      months: { from: '2024-02-01', until: '2024-03-01' },
      days: [
        { from: '2024-01-15', to: '2024-01-31' },
        { from: '2024-03-01', to: '2024-03-10' },
      ],
    });
  });

  it('a period inside one month, or a month minus a day, has no whole month', () => {
    expect(split('2024-03-02', '2024-03-31')).toEqual({ months: null, days: [{ from: '2024-03-02', to: '2024-03-31' }] });
    expect(split('2024-03-01', '2024-03-30')).toEqual({ months: null, days: [{ from: '2024-03-01', to: '2024-03-30' }] });
    expect(split('2024-03-05', '2024-03-05')).toEqual({ months: null, days: [{ from: '2024-03-05', to: '2024-03-05' }] });
  });

  it('February of a leap year ends on the 29th', () => {
    expect(split('2024-02-01', '2024-02-29')).toEqual({ months: { from: '2024-02-01', until: '2024-03-01' }, days: [] });
    expect(split('2024-02-01', '2024-02-28').months).toBeNull();
  });

  it('the statement reads only the parts the period needs', () => {
    const year = breakdownStatement('example.com', 'sending-ip', { from: '2024-01-01', to: '2024-12-31' });
    expect(year.sql).toContain('monthly_failure_dimension');
    // Daily rows only for months marked stale (their month rows not yet recomputed), no day range of their own.
    expect(year.sql).toContain('JOIN daily_failure_dimension d ON');
    expect(year.sql).not.toContain('day BETWEEN');
    expect(year.params).toEqual(['example.com', 'sending-ip', '2024-01-01', '2025-01-01']);
    const days = breakdownStatement('example.com', 'sending-ip', { from: '2024-03-02', to: '2024-03-20' });
    expect(days.sql).not.toContain('monthly_failure_dimension');
    expect(days.params).toEqual(['example.com', 'sending-ip', '2024-03-02', '2024-03-20']);
  });
});
