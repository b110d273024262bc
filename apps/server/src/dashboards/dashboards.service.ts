import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BreakdownDimension } from './dashboards.query.js';
import { addDays, daysOf, type Period } from './period.js';

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : null);

/**
 * Dashboard numbers, read from the daily rollups only (daily_policy_rollup, daily_failure_rollup,
 * daily_failure_dimension): never from failure_detail, so answers stay fast at millions of failure rows.
 * Sessions count only policies that count toward rates (RPT-DEV-17/18), as the rollups do.
 */
@Injectable()
export class DashboardsService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async overview(period: Period) {
    const rows: any[] = await this.ds.query(OVERVIEW_SQL, [period.from, period.to]);
    return {
      period,
      domains: rows.map((r) => {
        const ok = Number(r.successful);
        const failed = Number(r.failed);
        return {
          domain: r.policy_domain,
          successfulSessions: ok,
          failedSessions: failed,
          totalSessions: ok + failed,
          failureRate: ratio(failed, ok + failed),
          reports: Number(r.reports),
          lastReportAt: r.last_received_at ? new Date(r.last_received_at).toISOString() : null,
          organizations: r.organizations as string[],
          // The rollout state and verdict join here once the advice engine has an endpoint for it.
          advice: null,
        };
      }),
    };
  }

  async series(domain: string, period: Period) {
    const sessions: any[] = await this.ds.query(SERIES_SESSIONS_SQL, [domain, period.from, period.to]);
    const byType: any[] = await this.ds.query(SERIES_TYPES_SQL, [domain, period.from, period.to]);
    const sessionsByDay = new Map(sessions.map((r) => [r.day, r]));
    const typesByDay = new Map<string, Record<string, number>>();
    for (const r of byType) {
      const t = typesByDay.get(r.day) ?? {};
      t[r.result_type] = Number(r.sessions);
      typesByDay.set(r.day, t);
    }
    return {
      domain,
      period,
      days: daysOf(period).map((day) => {
        const s = sessionsByDay.get(day);
        const ok = Number(s?.successful ?? 0);
        const failed = Number(s?.failed ?? 0);
        return { day, successfulSessions: ok, failedSessions: failed, failureRate: ratio(failed, ok + failed), failuresByResultType: typesByDay.get(day) ?? {} };
      }),
    };
  }

  async breakdown(domain: string, dimension: BreakdownDimension, period: Period, limit: number) {
    const rows: any[] = await this.ds.query(BREAKDOWN_SQL, breakdownParams(domain, dimension, period));
    const total = rows.reduce((sum, r) => sum + Number(r.sessions), 0);
    return {
      domain,
      dimension,
      period,
      totalFailedSessions: total,
      truncated: rows.length > limit,
      items: rows.slice(0, limit).map((r) => ({
        // '' in the rollup stands for "not given in the report".
        value: r.value === '' ? null : r.value,
        failedSessions: Number(r.sessions),
        share: ratio(Number(r.sessions), total),
      })),
    };
  }
}

export const OVERVIEW_SQL = `
  SELECT policy_domain, sum(successful_sessions) AS successful, sum(failed_sessions) AS failed, sum(reports) AS reports,
         max(last_received_at) AS last_received_at, array_agg(DISTINCT organization ORDER BY organization) AS organizations
    FROM daily_policy_rollup
   WHERE day BETWEEN $1::date AND $2::date
   GROUP BY policy_domain
   ORDER BY policy_domain`;

export const SERIES_SESSIONS_SQL = `
  SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(successful_sessions) AS successful, sum(failed_sessions) AS failed
    FROM daily_policy_rollup
   WHERE policy_domain = $1 AND day BETWEEN $2::date AND $3::date
   GROUP BY day`;

export const SERIES_TYPES_SQL = `
  SELECT to_char(day, 'YYYY-MM-DD') AS day, result_type, sum(sessions) AS sessions
    FROM daily_failure_rollup
   WHERE policy_domain = $1 AND day BETWEEN $2::date AND $3::date
   GROUP BY day, result_type`;

/** Ties sort by value so pages and exports are stable. */
/**
 * Whole months of the period from monthly_failure_dimension, the days before and after them from
 * daily_failure_dimension. $3/$4: the period; $5/$6: first day of the first whole month and first day after the
 * last whole month (equal when the period holds no whole month).
 */
export const BREAKDOWN_SQL = `
  SELECT value, sum(sessions) AS sessions
    FROM (SELECT value, sessions FROM monthly_failure_dimension
           WHERE policy_domain = $1 AND dimension = $2 AND month >= $5::date AND month < $6::date
          UNION ALL
          SELECT value, sessions FROM daily_failure_dimension
           WHERE policy_domain = $1 AND dimension = $2 AND day BETWEEN $3::date AND $4::date
             AND NOT (day >= $5::date AND day < $6::date)) parts
   GROUP BY value
   ORDER BY sessions DESC, value`;

/** Parameters of BREAKDOWN_SQL for a period (UTC days, both included). */
export function breakdownParams(domain: string, dimension: string, period: Period): string[] {
  const firstOfMonth = (day: string) => day.slice(0, 8) + '01';
  const nextMonth = (day: string) => addMonths(firstOfMonth(day), 1);
  const wholeFrom = period.from.endsWith('-01') ? period.from : nextMonth(period.from);
  const wholeTo = addDays(period.to, 1).endsWith('-01') ? addDays(period.to, 1) : firstOfMonth(period.to);
  return wholeFrom < wholeTo ? [domain, dimension, period.from, period.to, wholeFrom, wholeTo] : [domain, dimension, period.from, period.to, wholeFrom, wholeFrom];
}

function addMonths(firstOfMonth: string, n: number): string {
  const d = new Date(`${firstOfMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
