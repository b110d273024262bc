import { refreshStaleMonths } from '@app/store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../apps/cli/src/commands/dev-seed.command.js';
import { BREAKDOWN_DIMENSIONS } from '../apps/server/src/dashboards/dashboards.query.js';
import { SchedulerService } from '../apps/server/src/scheduler/scheduler.service.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { breakdownAnswers } from './support/breakdown-answers.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

// Seeded 2024-01-31 … 2024-03-10 (month rows built whole by the seed, no month marked); "now" is in March.
const NOW = new Date('2024-03-15T12:00:00Z');

describe('month rows recomputed off ingest: ingest marks the month, breakdowns read its days meanwhile, the refresh rebuilds it once it has ended', () => {
  let app: TestApp;
  let ds: DataSource;
  let db: pg.Pool;
  const answers = () => breakdownAnswers(app, 'seed-1.example');
  const marks = async () => (await db.query(`SELECT policy_domain, dimension, month::text FROM stale_dimension_month ORDER BY 1, 2, 3`)).rows;
  /** Every month row next to the sum of its month's daily rows, as (domain, dimension, month, value, sessions) rows. */
  const monthsAgainstDays = async () => {
    const monthly = `SELECT r.policy_domain, r.dimension, r.month::text AS month, u.value, u.sessions::text AS sessions
                       FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)`;
    const fromDays = `SELECT d.policy_domain, d.dimension, date_trunc('month', d.day)::date::text AS month, u.value, sum(u.sessions)::text AS sessions
                        FROM daily_failure_dimension d, unnest(d.value_list, d.session_list) AS u(value, sessions) GROUP BY 1, 2, 3, 4`;
    const order = 'ORDER BY 1, 2, 3, 4';
    return { monthly: (await db.query(`${monthly} ${order}`)).rows, fromDays: (await db.query(`${fromDays} ${order}`)).rows };
  };
  const send = async (reportId: string, day: string, ip: string, sessions: number) => {
    const report = makeReport({
      reportId,
      domain: 'seed-1.example',
      day,
      failed: sessions,
      failures: [{ 'result-type': 'starttls-not-supported', 'sending-mta-ip': ip, 'receiving-mx-hostname': 'mx9.seed-1.example', 'failed-session-count': sessions }],
    });
    const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: report, gzip: true }) });
    expect(sent.final.code).toBe(250);
  };
  const februaryRow = async (ip: string) =>
    (
      await db.query(
        `SELECT u.sessions::int AS sessions, r.lists_json IS NOT NULL AS compacted FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
          WHERE r.policy_domain = 'seed-1.example' AND r.dimension = 'sending-ip' AND r.month = '2024-02-01' AND u.value = $1`,
        [ip],
      )
    ).rows;

  beforeAll(async () => {
    app = await bootTestApp();
    ds = app.server.app.get(DataSource);
    db = new pg.Pool({ connectionString: app.db.url, max: 4 });
    await seedDatabase(ds, { domains: 2, days: 40, failures: 4_000, endDay: '2024-03-10' });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('a late report marks its month in every dimension; breakdowns include it at once; the refresh folds it into the month row and removes the marks', async () => {
    expect(await marks()).toEqual([]);
    await send('late-february', '2024-02-10', '192.0.2.77', 7);
    expect(await marks()).toEqual(BREAKDOWN_DIMENSIONS.map((dimension) => ({ policy_domain: 'seed-1.example', dimension, month: '2024-02-01' })).sort((a, b) => (a.dimension < b.dimension ? -1 : 1)));
    // The month row is as the seed left it: ingest did not touch it.
    expect(await februaryRow('192.0.2.77')).toEqual([]);
    const february = await app.json('/api/dashboards/domains/seed-1.example/breakdowns/sending-ip?from=2024-02-01&to=2024-02-29&limit=10000');
    expect(february.items).toContainEqual(expect.objectContaining({ value: '192.0.2.77', failedSessions: 7 }));

    const before = await answers();
    expect(await refreshStaleMonths(ds, { now: NOW, batchMonths: 4 })).toEqual({ months: BREAKDOWN_DIMENSIONS.length });
    expect(await marks()).toEqual([]);
    // February has ended: the recomputed row is stored ready to send.
    expect(await februaryRow('192.0.2.77')).toEqual([{ sessions: 7, compacted: true }]);
    expect(await answers()).toEqual(before);
    const { monthly, fromDays } = await monthsAgainstDays();
    expect(monthly).toEqual(fromDays);
    expect(await refreshStaleMonths(ds, { now: NOW })).toEqual({ months: 0 });
  });

  it('skips a mark a writer holds instead of waiting for it, and refreshes that month on the next run', async () => {
    await send('late-january', '2024-01-31', '192.0.2.78', 2);
    const writer = await db.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT 1 FROM stale_dimension_month WHERE policy_domain = 'seed-1.example' AND dimension = 'sending-ip' AND month = '2024-01-01' FOR UPDATE`);
      const run = refreshStaleMonths(ds, { now: NOW });
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 10_000));
      expect(await Promise.race([run, waited])).toEqual({ months: BREAKDOWN_DIMENSIONS.length - 1 });
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect(await marks()).toEqual([{ policy_domain: 'seed-1.example', dimension: 'sending-ip', month: '2024-01-01' }]);
    expect(await refreshStaleMonths(ds, { now: NOW })).toEqual({ months: 1 });
    const { monthly, fromDays } = await monthsAgainstDays();
    expect(monthly).toEqual(fromDays);
  });

  it('the running month keeps its marks, and its breakdown its days, until it has ended', async () => {
    await send('march', '2024-03-02', '192.0.2.79', 3);
    expect(await refreshStaleMonths(ds, { now: NOW })).toEqual({ months: 0 });
    expect((await marks()).map((m) => m.month)).toEqual(BREAKDOWN_DIMENSIONS.map(() => '2024-03-01'));
    const march = await app.json('/api/dashboards/domains/seed-1.example/breakdowns/sending-ip?from=2024-03-01&to=2024-03-31&limit=10000');
    expect(march.items).toContainEqual(expect.objectContaining({ value: '192.0.2.79', failedSessions: 3 }));
    const before = await answers();
    // In April, March has ended: the next run recomputes it and stores its lists ready to send.
    expect(await refreshStaleMonths(ds, { now: new Date('2024-04-01T00:30:00Z') })).toEqual({ months: BREAKDOWN_DIMENSIONS.length });
    const { rows } = await db.query(`SELECT bool_and(lists_json IS NOT NULL) AS stored FROM monthly_failure_dimension WHERE policy_domain = 'seed-1.example' AND month = '2024-03-01'`);
    expect(rows).toEqual([{ stored: true }]);
    expect(await answers()).toEqual(before);
    const { monthly, fromDays } = await monthsAgainstDays();
    expect(monthly).toEqual(fromDays);
  });

  it('an ingest that reaches a mark while a refresh holds it waits, then marks the month again: its sessions are not lost', async () => {
    await send('first', '2024-02-11', '192.0.2.80', 1);
    const refresh = await db.connect();
    try {
      // What refreshStaleMonths does: lock the mark, recompute from the days it sees, remove the mark.
      await refresh.query('BEGIN');
      await refresh.query(`SELECT 1 FROM stale_dimension_month WHERE policy_domain = 'seed-1.example' AND dimension = 'sending-ip' AND month = '2024-02-01' FOR UPDATE`);
      const late = send('second', '2024-02-12', '192.0.2.81', 5);
      await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n === 1);
      await refresh.query(`DELETE FROM stale_dimension_month WHERE policy_domain = 'seed-1.example' AND dimension = 'sending-ip' AND month = '2024-02-01'`);
      await refresh.query('COMMIT');
      await late;
    } finally {
      refresh.release();
    }
    expect((await marks()).filter((m) => m.dimension === 'sending-ip')).toEqual([{ policy_domain: 'seed-1.example', dimension: 'sending-ip', month: '2024-02-01' }]);
    await refreshStaleMonths(ds, { now: NOW });
    expect(await februaryRow('192.0.2.81')).toEqual([{ sessions: 5, compacted: true }]);
  });

  it('reports delivered while refreshes run end in month rows equal to the sums of their days', async () => {
    const deliveries = Array.from({ length: 16 }, (_, i) => send(`busy-${i}`, `2024-02-${String(1 + (i % 8)).padStart(2, '0')}`, `198.51.100.${i % 5}`, 1 + i));
    let done = false;
    const all = Promise.all(deliveries).finally(() => (done = true));
    let refreshes = 0;
    while (!done) {
      await refreshStaleMonths(ds, { now: NOW });
      refreshes++;
    }
    await all;
    await refreshStaleMonths(ds, { now: NOW });
    expect(refreshes).toBeGreaterThan(0);
    expect(await marks()).toEqual([]);
    const { monthly, fromDays } = await monthsAgainstDays();
    expect(monthly).toEqual(fromDays);
  });

  it("the server's scheduled job refreshes marked months", async () => {
    await send('scheduled', '2024-02-20', '192.0.2.82', 4);
    expect((await marks()).length).toBe(BREAKDOWN_DIMENSIONS.length);
    expect(await app.server.app.get(SchedulerService).tick()).toContain('month-refresh');
    const { rows: runs } = await db.query(`SELECT result FROM job_run WHERE job = 'month-refresh'`);
    expect(runs).toEqual([{ result: { months: BREAKDOWN_DIMENSIONS.length } }]);
    expect(await marks()).toEqual([]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
