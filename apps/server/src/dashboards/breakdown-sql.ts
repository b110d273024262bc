import { LISTS_JSON_SQL } from '@app/store';
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
 * The value lists of the rollup rows a period needs, one row per day or month, each as the JSON array
 * `[values, sessions]`: a calendar year is twelve monthly rows and no daily one. A month that has ended is usually
 * sent as stored (`lists_json`, see `compactClosedMonths`); other rows are formatted here. A month that ingest has
 * added to since its row was last computed (marked in stale_dimension_month until `refreshStaleMonths` runs) is read
 * from its daily rows instead. They are summed by `ValueListSum` in the service: adding up 24,000 values of twelve
 * monthly lists in a JavaScript Map takes a fraction of what unnesting and grouping them takes PostgreSQL.
 */
export function breakdownStatement(domain: string, dimension: string, period: Period): { sql: string; params: unknown[] } {
  const params: unknown[] = [domain, dimension];
  const param = (v: unknown) => `$${params.push(v)}`;
  const split = splitPeriod(period);
  const parts: string[] = [];
  if (split.months) {
    const from = param(split.months.from);
    const until = param(split.months.until);
    parts.push(`SELECT coalesce(m.lists_json, ${LISTS_JSON_SQL}) AS lists FROM monthly_failure_dimension m
                 WHERE m.policy_domain = $1 AND m.dimension = $2 AND m.month >= ${from}::date AND m.month < ${until}::date
                   AND NOT EXISTS (SELECT 1 FROM stale_dimension_month s WHERE s.policy_domain = $1 AND s.dimension = $2 AND s.month = m.month)`);
    parts.push(`SELECT ${LISTS_JSON_SQL} AS lists FROM stale_dimension_month s
                  JOIN daily_failure_dimension d ON d.policy_domain = $1 AND d.dimension = $2
                   AND d.day >= s.month AND d.day < (s.month + interval '1 month')::date
                 WHERE s.policy_domain = $1 AND s.dimension = $2 AND s.month >= ${from}::date AND s.month < ${until}::date`);
  }
  for (const range of split.days) {
    parts.push(`SELECT ${LISTS_JSON_SQL} AS lists FROM daily_failure_dimension
                 WHERE policy_domain = $1 AND dimension = $2 AND day BETWEEN ${param(range.from)}::date AND ${param(range.to)}::date`);
  }
  return { sql: parts.join(' UNION ALL '), params };
}
