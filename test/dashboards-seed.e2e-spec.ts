import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAKDOWN_DIMENSIONS } from '../apps/server/src/dashboards/dashboards.query.js';
import { seedDatabase } from '../apps/cli/src/commands/dev-seed.command.js';
import { breakdownStatement } from '../apps/server/src/dashboards/breakdown-sql.js';
import { OVERVIEW_SQL, SERIES_SQL } from '../apps/server/src/dashboards/dashboards.service.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

// stale_dimension_month: the months whose month rows are being recomputed (read from their daily rows meanwhile).
const ROLLUPS = new Set(['daily_policy_rollup', 'daily_failure_rollup', 'daily_failure_dimension', 'monthly_failure_dimension', 'stale_dimension_month']);

describe('dev seed: synthetic reports, rollups consistent with the stored rows, dashboards on rollups only', () => {
  let app: TestApp;
  let db: pg.Pool;
  let seeded: Awaited<ReturnType<typeof seedDatabase>>;

  beforeAll(async () => {
    app = await bootTestApp();
    db = new pg.Pool({ connectionString: app.db.url, max: 2 });
    seeded = await seedDatabase(app.server.app.get(DataSource), { domains: 3, days: 20, failures: 20_000, endDay: '2024-02-20' });
    await db.query('ANALYZE');
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('seeds domains × days × 4 organizations reports and exactly the requested failure rows', async () => {
    expect(seeded).toMatchObject({ reports: 3 * 20 * 4, failureRows: 20_000, from: '2024-02-01', to: '2024-02-20', rollups: { policyRows: 240, keptFailureDays: [] } });
    expect((await db.query(`SELECT count(*)::int AS n FROM failure_detail`)).rows[0].n).toBe(20_000);
    // Every policy's failed count is the sum of its failure details, as in a well-formed report.
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM report_policy p WHERE p.failed_sessions <> (SELECT coalesce(sum(failed_session_count), 0) FROM failure_detail f WHERE f.policy_pk = p.id)`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('the overview, series and breakdowns agree with totals computed from failure_detail', async () => {
    const totals = (await db.query(`SELECT lower(policy_domain) AS domain, sum(failed_session_count)::int AS failed FROM failure_detail GROUP BY 1 ORDER BY 1`)).rows;
    const overview = await app.json('/api/dashboards/domains?from=2024-02-01&to=2024-02-20');
    expect(overview.domains.map((d: any) => ({ domain: d.domain, failed: d.failedSessions }))).toEqual(totals);
    expect(overview.domains.map((d: any) => d.organizations)).toEqual(Array(3).fill(['Google LLC', 'Microsoft Corporation', 'Yahoo Inc.', 'comcast.net']));

    const perDay = (await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, result_type, sum(failed_session_count)::int AS n FROM failure_detail WHERE policy_domain = 'seed-2.example' GROUP BY 1, 2`)).rows;
    const series = await app.json('/api/dashboards/domains/seed-2.example/series?from=2024-02-01&to=2024-02-20');
    expect(series.days).toHaveLength(20);
    for (const row of perDay) expect(series.days.find((d: any) => d.day === row.day).failuresByResultType[row.result_type]).toBe(row.n);

    const byIp = (await db.query(`SELECT sending_mta_ip AS value, sum(failed_session_count)::int AS n FROM failure_detail WHERE policy_domain = 'seed-2.example' GROUP BY 1 ORDER BY 2 DESC, sending_mta_ip COLLATE "C"`)).rows;
    const path = '/api/dashboards/domains/seed-2.example/breakdowns/sending-ip?from=2024-02-01&to=2024-02-20';
    const breakdown = await app.json(`${path}&limit=10000`);
    expect(breakdown.items.map((i: any) => ({ value: i.value, n: i.failedSessions }))).toEqual(byIp);
    const total = totals.find((t: any) => t.domain === 'seed-2.example').failed;
    expect(breakdown).toMatchObject({ totalFailedSessions: total, truncated: false, otherFailedSessions: 0 });

    // Without a limit, JSON lists the top 100 and sums the rest; a CSV export lists up to 1,000 values.
    expect(byIp.length).toBeGreaterThan(1000);
    const top = await app.json(path);
    expect(top.items.map((i: any) => ({ value: i.value, n: i.failedSessions }))).toEqual(byIp.slice(0, 100));
    const rest = byIp.slice(100).reduce((sum: number, r: any) => sum + r.n, 0);
    expect(top).toMatchObject({ totalFailedSessions: total, truncated: true, otherFailedSessions: rest });
    const csv = await (await app.api(`${path}&format=csv`)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 1000);
  });

  it('EXPLAIN with 20 000 failure rows: the dashboard queries still read only rollup tables', async () => {
    const range = ['2024-01-01', '2024-12-31'];
    const queries: Array<[string, unknown[]]> = [
      [OVERVIEW_SQL, range],
      [SERIES_SQL, ['seed-1.example', ...range]],
      ...BREAKDOWN_DIMENSIONS.map((d): [string, unknown[]] => {
        const { sql, params } = breakdownStatement('seed-1.example', d, { from: '2024-01-10', to: '2024-12-31' });
        return [sql, params];
      }),
    ];
    for (const [sql, params] of queries) {
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const relations: string[] = [];
      const walk = (node: any) => {
        if (node['Relation Name']) relations.push(node['Relation Name']);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(rows[0]['QUERY PLAN'][0].Plan);
      expect(relations.length).toBeGreaterThan(0);
      expect(relations.filter((r) => !ROLLUPS.has(r)), sql).toEqual([]);
    }
  });
});
