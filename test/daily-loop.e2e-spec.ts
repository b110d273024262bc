// Issue 10: scheduled live checks run once across server processes sharing a database; reports for a watched domain
// refresh its advice once per burst (debounced per domain).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdviceService } from '../apps/server/src/advice/advice.service.js';
import { DailyLoopService } from '../apps/server/src/daily-loop/daily-loop.service.js';
import { SchedulerService } from '../apps/server/src/scheduler/scheduler.service.js';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

const DOMAIN = 'loop.test';
const MX1 = 'mx1.loop.test';

describe('daily loop across two server processes', () => {
  let dep: LoopbackDeployment;
  let a: TestApp;
  let b: TestApp;
  let c: pg.Client;
  const count = async (sql: string) => (await c.query(sql)).rows[0].n;

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    const env = { ...dep.env, REQUIRE_DKIM_FOR_EVIDENCE: 'false', ADVICE_DEBOUNCE_MS: '300', CHECK_INTERVAL_MINUTES: '360' };
    a = await bootTestApp(env);
    b = await bootTestApp(env, { db: a.db });
    dep.setUpstream(a.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
    c = new pg.Client({ connectionString: a.db.url });
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
    await b?.close();
    await a?.close();
    await dep?.stop();
  });

  it('two processes ticking at the same moment check each watched domain once and store its advice once', async () => {
    const reg = await a.api('/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ domain: DOMAIN }) });
    expect(reg.status).toBe(201);
    const [ranA, ranB] = await Promise.all([a.server.app.get(SchedulerService).tick(), b.server.app.get(SchedulerService).tick()]);
    expect([...ranA, ...ranB].filter((j) => j === 'live-checks')).toEqual(['live-checks']);
    expect(await count(`SELECT count(*)::int AS n FROM domain_check`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM advice_record WHERE trigger = 'check'`)).toBe(1);
    const { rows } = await c.query(`SELECT result FROM job_run WHERE job = 'live-checks'`);
    expect(rows).toEqual([{ result: { checked: 1, failed: [], alerts: 0 } }]);
    // Both processes serve the same stored check.
    expect((await b.json(`/api/domains/${DOMAIN}/checks`, { token: a.adminToken })).items).toHaveLength(1);
    // Later ticks in the same 360-minute slot run no check.
    await Promise.all([a.server.app.get(SchedulerService).tick(), b.server.app.get(SchedulerService).tick()]);
    expect(await count(`SELECT count(*)::int AS n FROM domain_check`)).toBe(1);
  });

  it('a burst of reports for a watched domain refreshes its advice once; a report for another domain does not', async () => {
    const advice = a.server.app.get(AdviceService);
    const spy = vi.spyOn(advice, 'evaluate');
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    for (const [reportId, domain] of [['l-1', DOMAIN], ['l-2', DOMAIN], ['l-3', DOMAIN], ['o-1', 'other.test']]) {
      const mail = buildReportMail({ payload: makeReport({ reportId, domain, day }), gzip: true, policyDomain: domain, reportId });
      expect((await sendSmtp({ port: a.smtpPort, to: [RUA], data: mail })).final.code).toBe(250);
    }
    // Past the 300 ms debounce of the last report, without forcing it.
    await new Promise((r) => setTimeout(r, 1200));
    await a.server.app.get(DailyLoopService).settle();
    expect(spy.mock.calls.map(([d, opts]) => [d.domain, opts])).toEqual([[DOMAIN, { trigger: 'request' }]]);
    const result = await spy.mock.results[0].value;
    expect(result.evidence).toMatchObject({ reportsConsidered: 3, reportsCounted: 3 });
    spy.mockRestore();
  });
});
