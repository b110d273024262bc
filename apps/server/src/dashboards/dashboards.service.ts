import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { atMostCeilingSql } from '@app/store';
import { atMostCeiling } from '@app/tlsrpt';
import type { BreakdownDimension } from './dashboards.query.js';
import { breakdownStatement } from './breakdown-sql.js';
import { ValueListSum } from './breakdown-sum.js';
import { daysOf, type Period } from './period.js';
import { preparedQuery, preparedQueryEachRow } from './prepared-query.js';

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : null);

/**
 * Dashboard numbers, read from the rollups only (daily_policy_rollup, daily_failure_rollup, daily_failure_dimension,
 * monthly_failure_dimension): never from failure_detail, so answers stay fast at millions of failure rows.
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
          totalSessions: atMostCeiling(ok + failed),
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
    const rows = await preparedQuery<SeriesRow>(this.ds, SERIES_SQL, [domain, period.from, period.to]);
    const days = daysOf(period).map((day) => ({ day, successfulSessions: 0, failedSessions: 0, failureRate: null as number | null, failuresByResultType: {} as Record<string, number> }));
    for (const r of rows) {
      const d = days[r.day_index];
      if (r.types) {
        for (let i = 0; i < r.types.length; i++) d.failuresByResultType[r.types[i]] = r.sessions![i];
        continue;
      }
      d.successfulSessions = Number(r.successful ?? 0);
      d.failedSessions = Number(r.failed ?? 0);
      d.failureRate = ratio(d.failedSessions, d.successfulSessions + d.failedSessions);
    }
    return { domain, period, days };
  }

  async breakdown(domain: string, dimension: BreakdownDimension, period: Period, limit: number) {
    const { sql, params } = breakdownStatement(domain, dimension, period);
    const lists = new ValueListSum();
    await preparedQueryEachRow<{ lists: [string[], number[]] }>(this.ds, sql, params, ({ lists: [v, s] }) => lists.add({ v, s }));
    const sum = lists.result(limit);
    const total = sum.total;
    const items = sum.largest.map(([value, sessions]) => ({
      // '' in the rollup stands for "not given in the report".
      value: value === '' ? null : value,
      failedSessions: sessions,
      share: ratio(sessions, total),
    }));
    return {
      domain,
      dimension,
      period,
      totalFailedSessions: total,
      truncated: sum.valueCount > limit,
      // Not below 0 when the total stopped at the session-count ceiling.
      otherFailedSessions: Math.max(0, total - items.reduce((sum, i) => sum + i.failedSessions, 0)),
      items,
    };
  }
}

export const OVERVIEW_SQL = `
  SELECT policy_domain, ${atMostCeilingSql('sum(successful_sessions)')} AS successful, ${atMostCeilingSql('sum(failed_sessions)')} AS failed, sum(reports) AS reports,
         max(last_received_at) AS last_received_at, array_agg(DISTINCT organization ORDER BY organization) AS organizations
    FROM daily_policy_rollup
   WHERE day BETWEEN $1::date AND $2::date
   GROUP BY policy_domain
   ORDER BY policy_domain`;

/** A day's policy sessions (successful, failed), or its failed sessions per result type (types, sessions). */
interface SeriesRow {
  day_index: number;
  successful: string | null;
  failed: string | null;
  types: string[] | null;
  sessions: number[] | null;
}

/**
 * One round trip for the daily series: a row per day with policy sessions and a row per day with its result-type list
 * (daily_failure_dimension, which holds daily_failure_rollup already summed over organization and MX); day_index
 * counts from the period's first day. The lists are read as JSON and laid out per day in the service.
 */
export const SERIES_SQL = `
  SELECT day - $2::date AS day_index, ${atMostCeilingSql('sum(successful_sessions)')} AS successful, ${atMostCeilingSql('sum(failed_sessions)')} AS failed, NULL::json AS types, NULL::json AS sessions
    FROM daily_policy_rollup
   WHERE policy_domain = $1 AND day BETWEEN $2::date AND $3::date
   GROUP BY day
  UNION ALL
  SELECT day - $2::date, NULL, NULL, to_json(value_list), to_json(session_list)
    FROM daily_failure_dimension
   WHERE policy_domain = $1 AND dimension = 'result-type' AND day BETWEEN $2::date AND $3::date`;
