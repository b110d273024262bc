import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerService } from '../apps/server/src/scheduler/scheduler.service.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

describe('scheduled jobs run once across processes; retention', () => {
  let a: TestApp;
  let b: TestApp;
  let c: pg.Client;
  beforeAll(async () => {
    a = await bootTestApp({ RETENTION_RAW_DAYS: '30', RETENTION_FAILURE_DAYS: '60' });
    // A second server process sharing the same database.
    b = await bootTestApp({ RETENTION_RAW_DAYS: '30', RETENTION_FAILURE_DAYS: '60' }, { db: a.db });
    c = new pg.Client({ connectionString: a.db.url });
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
    await b?.close();
    await a?.close();
  });

  it('two processes ticking at the same moment run the retention job once', async () => {
    const [ranA, ranB] = await Promise.all([a.server.app.get(SchedulerService).tick(), b.server.app.get(SchedulerService).tick()]);
    expect([...ranA, ...ranB].filter((j) => j === 'retention')).toEqual(['retention']);
    const { rows } = await c.query(`SELECT job, count(*)::int AS n FROM job_run WHERE job = 'retention' GROUP BY job`);
    expect(rows).toEqual([{ job: 'retention', n: 1 }]);
    // A later tick in the same slot runs nothing.
    expect(await a.server.app.get(SchedulerService).tick()).toEqual([]);
  });

  it('drops old raw bytes and failure details, keeps reports, rollups and anything in quarantine', async () => {
    const failures = [{ 'result-type': 'certificate-expired', 'failed-session-count': 3, 'receiving-mx-hostname': 'mx1.example.com' }];
    const old = buildReportMail({ payload: makeReport({ reportId: 'old-1', day: '2020-01-01', failed: 3, failures }), gzip: true });
    const fresh = buildReportMail({ payload: makeReport({ reportId: 'new-1', day: new Date().toISOString().slice(0, 10), failed: 3, failures }), gzip: true });
    const broken = buildReportMail({ payload: '{"organization-name": "x"}', gzip: true, reportId: 'q' });
    for (const data of [old, fresh, broken]) expect((await sendSmtp({ port: a.smtpPort, to: [RUA], data })).final.code).toBe(250);
    await c.query(`UPDATE raw_message SET received_at = now() - interval '100 days'`);
    await c.query(`UPDATE raw_message SET received_at = now() WHERE id = (SELECT raw_message_id FROM report WHERE report_id = 'new-1')`);
    await c.query(`DELETE FROM job_run`);

    expect(await a.server.app.get(SchedulerService).tick()).toContain('retention');
    const { rows: runs } = await c.query(`SELECT result FROM job_run WHERE job = 'retention'`);
    expect(runs[0].result).toEqual({ rawMessagesPurged: 1, failureRowsDeleted: 1 });

    const { rows } = await c.query(
      `SELECT r.report_id, m.bytes IS NULL AS purged, (SELECT count(*)::int FROM failure_detail f WHERE f.report_pk = r.id) AS failures
         FROM report r JOIN raw_message m ON m.id = r.raw_message_id ORDER BY r.report_id`,
    );
    expect(rows).toEqual([
      { report_id: 'new-1', purged: false, failures: 1 },
      { report_id: 'old-1', purged: true, failures: 0 },
    ]);
    const { rows: q } = await c.query(`SELECT m.bytes IS NULL AS purged FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id`);
    expect(q).toEqual([{ purged: false }]);
    const { rows: rolled } = await c.query(`SELECT day::text, sessions::int FROM daily_failure_rollup ORDER BY day`);
    expect(rolled[0]).toEqual({ day: '2020-01-01', sessions: 3 });

    const list = await a.json('/api/reports?limit=10');
    const oldId = list.items.find((r: any) => r.reportId === 'old-1').id;
    expect((await a.api(`/api/reports/${oldId}/raw`)).status).toBe(410);
  });

  it('refuses a retention shorter than the evidence window, naming the variable', async () => {
    const { loadConfig } = await import('@app/config');
    const r = loadConfig({ RETENTION_RAW_DAYS: '7' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^RETENTION_RAW_DAYS: must be at least 30/);
  });
});

describe('replicas starting together on an empty database', () => {
  it('migrate one after the other and print exactly one initial admin token', async () => {
    const { createTestDatabase } = await import('./support/database.js');
    const db = await createTestDatabase();
    const apps = await Promise.all([bootTestApp({}, { db }), bootTestApp({}, { db }), bootTestApp({}, { db })]);
    try {
      expect(apps.map((a) => a.adminToken).filter(Boolean)).toHaveLength(1);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM api_token`);
      await c.end();
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      for (const a of apps) await a.close();
      await db.drop();
    }
  });
});
