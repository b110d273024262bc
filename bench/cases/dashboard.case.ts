import pg from 'pg';
import { freshDatabase } from '../support/bench-database.js';
import { percentile } from '../support/bench-smtp-client.js';
import { startProduct } from './smtp-small.case.js';

const BIG = 'd01.bench.example';

/**
 * Seeds about `rows` failure rows over a year (one domain holds ~18 %), server-side with generate_series, then
 * builds the rollups the way ingest maintains them, and times the dashboard questions both ways.
 */
async function seed(c: pg.Client, rows: number): Promise<number> {
  await c.query(`INSERT INTO raw_message (source, sha256, size_bytes, bytes, dkim_result) VALUES ('import', '\\x00', 0, '', 'not-verified')`);
  await c.query(`
    INSERT INTO report (raw_message_id, dedupe_org, organization_name, report_id, date_start, date_end, day, report_text, authenticated, source)
    SELECT 1, o, o, format('%s-%s-%s', d, day, o), day, day + interval '1 day' - interval '1 second', day, '{}', true, 'import'
      FROM generate_series(1, 50) d, generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') day,
           unnest(ARRAY['Google Inc.', 'Microsoft Corporation']) o`);
  await c.query(`
    INSERT INTO report_policy (report_pk, position, policy_type, policy_domain, successful_sessions, failed_sessions, counts_toward_rates)
    SELECT r.id, 0, 'sts', format('d%s.bench.example', lpad(split_part(r.report_id, '-', 1), 2, '0')), 5000, 0, true FROM report r`);
  const perBig = Math.round((rows * 0.18) / 730);
  const perOther = Math.round((rows * 0.82) / (49 * 730));
  await c.query(
    `INSERT INTO failure_detail (report_pk, policy_pk, policy_domain, day, result_type, failed_session_count, sending_mta_ip,
       receiving_ip, receiving_mx_hostname, failure_reason_code)
     SELECT p.report_pk, p.id, p.policy_domain, r.day,
            (ARRAY['certificate-expired','starttls-not-supported','validation-failure','certificate-host-mismatch'])[1 + g % 4],
            1 + g % 5, format('198.51.%s.%s', (g / 256) % 256, g % 256), format('203.0.113.%s', g % 200),
            format('mx%s.%s', g % 3, p.policy_domain), 'bench'
       FROM report_policy p JOIN report r ON r.id = p.report_pk,
            LATERAL generate_series(1, CASE WHEN p.policy_domain = $1 THEN $2::int ELSE $3::int END) g`,
    [BIG, perBig, perOther],
  );
  await c.query(`UPDATE report_policy p SET failed_sessions = f.n FROM (SELECT policy_pk, sum(failed_session_count) n FROM failure_detail GROUP BY 1) f WHERE f.policy_pk = p.id`);
  await c.query(`
    INSERT INTO daily_policy_rollup (policy_domain, day, organization, policy_type, successful_sessions, failed_sessions, reports)
    SELECT p.policy_domain, r.day, r.organization_name, p.policy_type, sum(p.successful_sessions), sum(p.failed_sessions), count(*)
      FROM report_policy p JOIN report r ON r.id = p.report_pk GROUP BY 1, 2, 3, 4`);
  await c.query(`
    INSERT INTO daily_failure_rollup (policy_domain, day, organization, result_type, receiving_mx, sessions)
    SELECT f.policy_domain, f.day, r.organization_name, f.result_type, f.receiving_mx_hostname, sum(f.failed_session_count)
      FROM failure_detail f JOIN report r ON r.id = f.report_pk GROUP BY 1, 2, 3, 4, 5`);
  await c.query('VACUUM ANALYZE');
  return Number((await c.query('SELECT count(*) AS n FROM failure_detail')).rows[0].n);
}

async function time(c: pg.Client, sql: string, params: unknown[], runs: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await c.query(sql, params);
    ms.push(performance.now() - t0);
  }
  return percentile(ms, 95);
}

export const DASHBOARD_QUERIES = {
  yearlySeries: {
    rollup: `SELECT day, result_type, sum(sessions) FROM (
               SELECT day, 'success' AS result_type, successful_sessions AS sessions FROM daily_policy_rollup WHERE policy_domain = $1 AND day BETWEEN $2 AND $3
               UNION ALL
               SELECT day, result_type, sessions FROM daily_failure_rollup WHERE policy_domain = $1 AND day BETWEEN $2 AND $3) s
             GROUP BY 1, 2 ORDER BY 1`,
    scan: `SELECT day, result_type, sum(failed_session_count) FROM failure_detail WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 1`,
  },
  breakdown: {
    rollup: `SELECT receiving_mx, result_type, sum(sessions) AS sessions FROM daily_failure_rollup
              WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 3 DESC`,
    scan: `SELECT receiving_mx_hostname, result_type, sum(failed_session_count) AS sessions FROM failure_detail
            WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 3 DESC`,
  },
};

export async function runDashboard(adminUrl: string, opts: { rows: number }) {
  const url = await freshDatabase(adminUrl, 'sts_bench_dashboard');
  // Start (and stop) the product once so its migrations create the schema.
  await (await startProduct(url)).stop();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = performance.now();
    const rows = await seed(c, opts.rows);
    const seedSeconds = (performance.now() - t0) / 1000;
    const params = [BIG, '2025-01-01', '2025-12-31'];
    const measure = async (q: { rollup: string; scan: string }) => {
      await time(c, q.rollup, params, 3);
      const rollupP95 = await time(c, q.rollup, params, 40);
      const scanP95 = await time(c, q.scan, params, 3);
      return { rollupP95, scanP95, ratio: rollupP95 / scanP95 };
    };
    return { rows, seedSeconds, yearlySeries: await measure(DASHBOARD_QUERIES.yearlySeries), breakdown: await measure(DASHBOARD_QUERIES.breakdown) };
  } finally {
    await c.end();
  }
}
