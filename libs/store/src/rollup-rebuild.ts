import type { DataSource, EntityManager } from 'typeorm';
import { monthListsFromDaysSql } from './month-lists-sql.js';
import { atMostCeilingSql } from './session-sum-sql.js';

export interface RebuildRange {
  /** First day (YYYY-MM-DD, UTC) to rebuild; default: the earliest. */
  from?: string;
  /** Last day (inclusive); default: the latest. */
  to?: string;
}

export interface RebuildResult {
  policyRows: number;
  failureRows: number;
  /** Values (a domain's failed sessions per dimension value and day) in the daily_failure_dimension rows rebuilt. */
  dimensionRows: number;
  /** Values in the monthly_failure_dimension rows of the months the range touches, recomputed whole from the daily rows. */
  monthRows: number;
  /** Days whose failure details retention has deleted: their failure rollups were kept as they were. */
  keptFailureDays: string[];
}

/**
 * Recomputes the daily rollups for the given days from the stored reports, in one transaction, with the rules
 * `addToRollups` applies at ingest: only policies that count toward rates, domain lower-cased, organization =
 * organization-name else the dedupe organization, day = the report's start day, absent dimensions as ''.
 *
 * Retention deletes old failure details but keeps the rollups; a day with failed sessions and no failure detail left
 * keeps its failure rollups rather than being rebuilt to nothing.
 */
export async function rebuildRollups(ds: DataSource, range: RebuildRange = {}): Promise<RebuildResult> {
  const params = [range.from ?? null, range.to ?? null];
  const inRange = (col: string) => `($1::date IS NULL OR ${col} >= $1::date) AND ($2::date IS NULL OR ${col} <= $2::date)`;
  return ds.transaction(async (m) => {
    await m.query(`DELETE FROM daily_policy_rollup WHERE ${inRange('day')}`, params);
    const kept: Array<{ day: string }> = await m.query(
      // The days that still have failure rows are collected once (a hash anti join): probing failure_detail's BRIN
      // index once per report row took minutes on ten million rows.
      `WITH failure_days AS MATERIALIZED (SELECT DISTINCT day FROM failure_detail WHERE ${inRange('day')})
       SELECT DISTINCT to_char(r.day, 'YYYY-MM-DD') AS day
         FROM report r JOIN report_policy p ON p.report_pk = r.id
        WHERE p.counts_toward_rates AND p.failed_sessions > 0 AND ${inRange('r.day')}
          AND r.day NOT IN (SELECT day FROM failure_days)
        ORDER BY 1`,
      params,
    );
    const keptDays = kept.map((k) => k.day);
    const failureParams = [...params, keptDays];
    const notKept = (col: string) => `${inRange(col)} AND NOT (${col} = ANY($3::date[]))`;
    await m.query(`DELETE FROM daily_failure_rollup WHERE ${notKept('day')}`, failureParams);
    await m.query(`DELETE FROM daily_failure_dimension WHERE ${notKept('day')}`, failureParams);
    const policyRows = await count(m,
      `INSERT INTO daily_policy_rollup (policy_domain, day, organization, policy_type, successful_sessions, failed_sessions, reports, last_received_at)
       SELECT lower(p.policy_domain), r.day, coalesce(r.organization_name, r.dedupe_org), p.policy_type,
              ${atMostCeilingSql('sum(p.successful_sessions)')}, ${atMostCeilingSql('sum(p.failed_sessions)')}, count(*), max(r.received_at)
         FROM report_policy p JOIN report r ON r.id = p.report_pk
        WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL AND ${inRange('r.day')}
        GROUP BY 1, 2, 3, 4
       RETURNING 1`,
      params,
    );
    const failureRows = await count(m,
      `INSERT INTO daily_failure_rollup (policy_domain, day, organization, result_type, receiving_mx, sessions)
       SELECT lower(p.policy_domain), r.day, coalesce(r.organization_name, r.dedupe_org), f.result_type,
              lower(coalesce(f.receiving_mx_hostname, '')), ${atMostCeilingSql('sum(f.failed_session_count)')}
         FROM failure_detail f JOIN report_policy p ON p.id = f.policy_pk JOIN report r ON r.id = f.report_pk
        WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL AND ${notKept('r.day')}
        GROUP BY 1, 2, 3, 4, 5
       RETURNING 1`,
      failureParams,
    );
    const dimensionRows = await count(m,
      `INSERT INTO daily_failure_dimension (policy_domain, dimension, day, value_list, session_list)
       SELECT policy_domain, dimension, day, array_agg(value), array_agg(sessions)
         FROM (SELECT lower(p.policy_domain) AS policy_domain, d.dimension, r.day, d.value, ${atMostCeilingSql('sum(f.failed_session_count)')} AS sessions
                 FROM failure_detail f JOIN report_policy p ON p.id = f.policy_pk JOIN report r ON r.id = f.report_pk
                CROSS JOIN LATERAL (VALUES
                  ('organization', coalesce(r.organization_name, r.dedupe_org)),
                  ('receiving-mx', lower(coalesce(f.receiving_mx_hostname, ''))),
                  ('receiving-ip', coalesce(host(f.receiving_ip_inet), f.receiving_ip, '')),
                  ('sending-ip', coalesce(host(f.sending_mta_ip_inet), f.sending_mta_ip, '')),
                  ('result-type', f.result_type),
                  ('failure-reason-code', coalesce(f.failure_reason_code, ''))) d(dimension, value)
                WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL AND ${notKept('r.day')}
                GROUP BY 1, 2, 3, 4) by_value
        GROUP BY 1, 2, 3
       RETURNING cardinality(value_list)`,
      failureParams,
    );
    const months = `($1::date IS NULL OR month >= date_trunc('month', $1::date)) AND ($2::date IS NULL OR month <= date_trunc('month', $2::date))`;
    await m.query(`DELETE FROM monthly_failure_dimension WHERE ${months}`, params);
    const monthRows = await count(m,
      `INSERT INTO monthly_failure_dimension (policy_domain, dimension, month, value_list, session_list)
       SELECT * FROM (${monthListsFromDaysSql(`
         SELECT * FROM daily_failure_dimension
          WHERE ($1::date IS NULL OR day >= date_trunc('month', $1::date)) AND ($2::date IS NULL OR day < date_trunc('month', $2::date) + interval '1 month')`)}) lists
       RETURNING cardinality(value_list)`,
      params,
    );
    return { policyRows, failureRows, dimensionRows, monthRows, keptFailureDays: keptDays };
  });
}

/** Rows inserted, or, for an insert that returns the number of values each row holds, values inserted. */
async function count(m: EntityManager, insert: string, params: unknown[]): Promise<number> {
  const [row] = await m.query(`WITH ins AS (${insert}) SELECT coalesce(sum(ins.n), 0)::int AS n FROM ins AS ins(n)`, params);
  return row.n;
}
