import { addDays, type Period } from './period.js';

/** A period as the rollups hold it: whole months (monthly_failure_dimension) and the remaining days (daily_failure_dimension). */
export interface PeriodSplit {
  /** First day of the first whole month and first day after the last one; null when the period holds no whole month. */
  months: { from: string; until: string } | null;
  /** Day ranges (both ends included) outside the whole months: at most one before them and one after. */
  days: Array<{ from: string; to: string }>;
}

const firstOfMonth = (day: string) => day.slice(0, 8) + '01';

function addMonths(firstOfMonthDay: string, n: number): string {
  const d = new Date(`${firstOfMonthDay}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

export function splitPeriod(period: Period): PeriodSplit {
  const wholeFrom = period.from.endsWith('-01') ? period.from : addMonths(firstOfMonth(period.from), 1);
  const dayAfter = addDays(period.to, 1);
  const wholeUntil = dayAfter.endsWith('-01') ? dayAfter : firstOfMonth(period.to);
  if (wholeFrom >= wholeUntil) return { months: null, days: [{ from: period.from, to: period.to }] };
  const days: PeriodSplit['days'] = [];
  if (period.from < wholeFrom) days.push({ from: period.from, to: addDays(wholeFrom, -1) });
  if (wholeUntil <= period.to) days.push({ from: wholeUntil, to: period.to });
  return { months: { from: wholeFrom, until: wholeUntil }, days };
}

/**
 * One statement, one row: the total and number of distinct values over the whole period, and the `limit` largest
 * values as a JSON array of [value, sessions]. Ties sort by value in byte order (COLLATE "C": stable on every database
 * locale, and far cheaper than a linguistic comparison when thousands of values tie). Only the rollup parts
 * the period needs are read: a calendar year is twelve monthly reads and no daily one.
 */
export function breakdownStatement(domain: string, dimension: string, period: Period, limit: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [domain, dimension];
  const param = (v: unknown) => `$${params.push(v)}`;
  const split = splitPeriod(period);
  const parts: string[] = [];
  if (split.months) {
    parts.push(`SELECT u.value, u.sessions FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
                 WHERE r.policy_domain = $1 AND r.dimension = $2 AND r.month >= ${param(split.months.from)}::date AND r.month < ${param(split.months.until)}::date`);
  }
  for (const range of split.days) {
    parts.push(`SELECT u.value, u.sessions FROM daily_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
                 WHERE r.policy_domain = $1 AND r.dimension = $2 AND r.day BETWEEN ${param(range.from)}::date AND ${param(range.to)}::date`);
  }
  const sql = `
    WITH by_value AS (SELECT value, sum(sessions) AS sessions FROM (${parts.join(' UNION ALL ')}) parts GROUP BY value)
    SELECT (SELECT coalesce(sum(sessions), 0) FROM by_value) AS total,
           (SELECT count(*) FROM by_value) AS value_count,
           (SELECT coalesce(json_agg(json_build_array(value, sessions) ORDER BY sessions DESC, value COLLATE "C"), '[]')
              FROM (SELECT value, sessions FROM by_value ORDER BY sessions DESC, value COLLATE "C" LIMIT ${param(limit)}) largest) AS largest`;
  return { sql, params };
}
