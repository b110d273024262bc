// Issue 10: the operator's daily loop. Alerts of every kind reach a webhook receiver on loopback in both body forms,
// repeats are suppressed for ALERT_SUPPRESS_HOURS, and the daily digest goes to the same channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../apps/server/src/alerts/alerts.service.js';
import { DailyLoopService } from '../apps/server/src/daily-loop/daily-loop.service.js';
import { DigestService } from '../apps/server/src/digest/digest.service.js';
import { SchedulerService } from '../apps/server/src/scheduler/scheduler.service.js';
import { startWebhookReceiver } from './fixtures/alerts/webhook-receiver.js';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

const DOMAIN = 'alerts.test';
const MX1 = 'mx1.alerts.test';
const BASE = 'https://pilot.example.net';
const DAY_MS = 86_400_000;

describe('alerts and digest (issue 10)', () => {
  let dep: LoopbackDeployment;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let app: TestApp;
  // 01:00 UTC yesterday: report days line up with clock days, and the test clock (a watched domain's creation time) is
  // never ahead of the real one that stamps received reports. From today's 01:00 it was ahead between 00:00 and 01:00
  // UTC, every report then looked older than its domain (history, not news), and no alert was sent.
  const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS + 3_600_000);
  let now = start;
  const dayOf = (offset: number) => new Date(now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  const post = (path: string, body?: unknown) =>
    app.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const loop = () => app.server.app.get(DailyLoopService);
  const jsonAlerts = (domain: string) => hooks.alerts().filter((h) => h.path === '/json' && h.body.domain === domain);
  const slackAlerts = (domain: string) => hooks.alerts().filter((h) => h.path === '/slack' && h.body.text.startsWith(`[STS Pilot] ${domain}:`));
  const kinds = (domain: string) => jsonAlerts(domain).map((h) => `${h.body.kind} ${h.body.subject}`);
  const sendReport = async (o: Parameters<typeof makeReport>[0]) => {
    const mail = buildReportMail({ payload: makeReport(o), gzip: true, policyDomain: o.domain, reportId: o.reportId });
    const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(sent.final.code, sent.final.text).toBe(250);
  };

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    dep = await startLoopbackDeployment(DOMAIN);
    app = await bootTestApp(
      {
        ...dep.env,
        REQUIRE_DKIM_FOR_EVIDENCE: 'false',
        ALERT_WEBHOOK_URLS: `json:${hooks.url('/json')},slack:${hooks.url('/slack')}`,
        PUBLIC_BASE_URL: BASE,
        ADVICE_DEBOUNCE_MS: '600000',
      },
      { clock: () => now },
    );
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
    await hooks?.close();
  });

  it('verdict change start-testing -> keep-testing after a scheduled check: JSON and {text} bodies, dashboard link', async () => {
    expect((await post('/api/domains', { domain: DOMAIN })).status).toBe(201);
    const ran = await app.server.app.get(SchedulerService).tick();
    expect(ran).toEqual(expect.arrayContaining(['live-checks', 'alerts', 'digest']));
    expect((await app.json(`/api/domains/${DOMAIN}/advice`)).advice.verdict).toBe('start-testing');
    // The first advice of a domain is not a change.
    expect(hooks.alerts()).toEqual([]);

    const proposed = (await app.json(`/api/domains/${DOMAIN}/advice`)).advice.proposed;
    expect((await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: proposed.id })).status).toBe(201);
    dep.publish({ stsTxt: [`v=STSv1; id=${proposed.id}`], tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.test'], mx: [MX1] });
    expect(await loop().checkAll()).toEqual({ checked: 1, failed: [], alerts: 1 });

    expect(jsonAlerts(DOMAIN).map((h) => h.body)).toEqual([
      {
        type: 'alert',
        kind: 'verdict-change',
        domain: DOMAIN,
        subject: 'start-testing->keep-testing',
        message: 'The rollout verdict of alerts.test changed from start-testing to keep-testing.',
        evidence: { from: 'start-testing', to: 'keep-testing' },
        link: `${BASE}/domains/alerts.test`,
        sentAt: now.toISOString(),
      },
    ]);
    expect(slackAlerts(DOMAIN).map((h) => h.body)).toEqual([
      {
        text: [
          '[STS Pilot] alerts.test: verdict-change',
          'The rollout verdict of alerts.test changed from start-testing to keep-testing.',
          '• from: start-testing',
          '• to: keep-testing',
          `Dashboard: ${BASE}/domains/alerts.test`,
        ].join('\n'),
      },
    ]);
    const listed = await app.json(`/api/alerts?domain=${DOMAIN}&kind=verdict-change`);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0].deliveries).toEqual([
      { channel: `json:${new URL(hooks.url('/')).host}`, ok: true, status: 200 },
      { channel: `slack:${new URL(hooks.url('/')).host}`, ok: true, status: 200 },
    ]);
    // Same verdict on the next check: nothing new.
    expect(await loop().checkAll()).toEqual({ checked: 1, failed: [], alerts: 0 });
  });

  it('a new failure class and reported policy-fetch errors after ingest; repeats suppressed for 24 h, sent again after', async () => {
    const D = 'failing.test';
    expect((await post('/api/domains', { domain: D })).status).toBe(201);
    const failures = [
      { 'result-type': 'certificate-expired', 'failed-session-count': 6, 'receiving-mx-hostname': 'mx1.failing.test' },
      { 'result-type': 'sts-policy-fetch-error', 'failed-session-count': 4 },
    ];
    await sendReport({ reportId: 'f-1', domain: D, day: dayOf(-1), ok: 90, failed: 10, failures });
    await loop().settle();
    expect(kinds(D)).toEqual([
      'new-failure-class result-type:certificate-expired',
      'new-failure-class result-type:sts-policy-fetch-error',
      'new-failure-class receiving-mx:mx1.failing.test',
      'policy-fetch-error sts-policy-fetch-error',
    ]);
    const fetchAlert = jsonAlerts(D).at(-1)!.body;
    expect(fetchAlert).toMatchObject({
      message: 'Senders report that they could not use the MTA-STS policy of failing.test: sts-policy-fetch-error in 4 session(s).',
      evidence: { resultType: 'sts-policy-fetch-error', failedSessions: 4 },
      link: `${BASE}/domains/failing.test`,
    });
    expect(slackAlerts(D)).toHaveLength(4);

    // The same failures again within the suppression period: the classes are known, the fetch error is suppressed.
    await sendReport({ reportId: 'f-2', domain: D, day: dayOf(-1), ok: 90, failed: 10, failures });
    await loop().settle();
    expect(kinds(D)).toHaveLength(4);
    expect((await app.json(`/api/alerts?domain=${D}`)).items).toHaveLength(4);

    now = new Date(now.getTime() + 25 * 3_600_000);
    await sendReport({ reportId: 'f-3', domain: D, day: dayOf(-1), ok: 96, failed: 4, failures: [failures[1]] });
    await loop().settle();
    expect(kinds(D).slice(4)).toEqual(['policy-fetch-error sts-policy-fetch-error']);
  });

  it('day-over-day failure-rate jump: 1.0% -> 20.0% over 100 sessions', async () => {
    const D = 'jump.test';
    expect((await post('/api/domains', { domain: D })).status).toBe(201);
    const failure = (n: number) => [{ 'result-type': 'validation-failure', 'failed-session-count': n, 'receiving-mx-hostname': 'mx.jump.test' }];
    await sendReport({ reportId: 'j-1', domain: D, day: dayOf(-2), ok: 99, failed: 1, failures: failure(1) });
    await sendReport({ reportId: 'j-2', domain: D, day: dayOf(-1), ok: 80, failed: 20, failures: failure(20) });
    await loop().settle();
    const jump = jsonAlerts(D).filter((h) => h.body.kind === 'failure-rate-jump');
    expect(jump.map((h) => h.body)).toEqual([
      {
        type: 'alert',
        kind: 'failure-rate-jump',
        domain: D,
        subject: dayOf(-1),
        message: `The failure rate of jump.test jumped from 1.0% on ${dayOf(-2)} to 20.0% on ${dayOf(-1)}.`,
        evidence: { previousDay: dayOf(-2), previousRate: '1.0%', previousSessions: 100, day: dayOf(-1), rate: '20.0%', sessions: 100, failedSessions: 20 },
        link: `${BASE}/domains/jump.test`,
        sentAt: now.toISOString(),
      },
    ]);
  });

  it('daily digest: sessions, failure rate, top failures and verdict, once per day, in both forms', async () => {
    const digests = app.server.app.get(DigestService);
    const sent = await digests.sendAll(now);
    expect(sent.day).toBe(dayOf(-1));
    const json = hooks.received.filter((h) => h.path === '/json' && h.body.type === 'digest' && h.body.domain === 'jump.test');
    expect(json.map((h) => h.body)).toEqual([
      {
        type: 'digest',
        domain: 'jump.test',
        day: dayOf(-1),
        sessions: 100,
        failedSessions: 20,
        failureRate: '20.0%',
        topFailures: [{ resultType: 'validation-failure', receivingMx: 'mx.jump.test', sessions: 20 }],
        verdict: 'no advice yet',
        reports: 1,
        link: `${BASE}/domains/jump.test`,
        sentAt: now.toISOString(),
      },
    ]);
    const text = hooks.received.filter((h) => h.path === '/slack' && String(h.body.text).startsWith('[STS Pilot] Daily digest for jump.test'));
    expect(text.map((h) => h.body.text)).toEqual([
      [
        `[STS Pilot] Daily digest for jump.test, ${dayOf(-1)}`,
        'Sessions: 100 (20 failed, 20.0%) in 1 report(s)',
        'Verdict: no advice yet',
        'Top failures:',
        '• validation-failure at mx.jump.test: 20',
        `Dashboard: ${BASE}/domains/jump.test`,
      ].join('\n'),
    ]);
    const ad = hooks.received.find((h) => h.path === '/json' && h.body.type === 'digest' && h.body.domain === DOMAIN && h.body.day === dayOf(-1));
    expect(ad?.body.verdict).toBe('keep-testing');
    // The same day is not sent twice.
    expect(await digests.sendAll(now)).toEqual({ day: dayOf(-1), sent: 0 });
    expect((await app.json('/api/alerts?kind=digest&domain=jump.test')).items.map((i: any) => i.subject)).toEqual([dayOf(-1)]);
  });

  it('ALERT_NO_REPORT_DAYS: a domain silent for 3 days alerts once per suppression period', async () => {
    const D = 'quiet.test';
    expect((await post('/api/domains', { domain: D })).status).toBe(201);
    const alerts = app.server.app.get(AlertsService);
    await alerts.evaluateAll();
    expect(kinds(D)).toEqual([]);
    now = new Date(now.getTime() + 3 * DAY_MS);
    await alerts.evaluateAll();
    expect(jsonAlerts(D).map((h) => h.body)).toEqual([
      expect.objectContaining({
        kind: 'no-reports',
        subject: 'since:never',
        message: 'No TLS-RPT report for quiet.test has arrived for 3 day(s) (last: never); check the rua address in _smtp._tls.quiet.test and that mail to it reaches STS Pilot.',
        evidence: { lastReportAt: 'never', days: 3, thresholdDays: 3 },
      }),
    ]);
    now = new Date(now.getTime() + 3_600_000);
    await alerts.evaluateAll();
    expect(kinds(D)).toEqual(['no-reports since:never']);
  });

  it('certificates of the MX and of mta-sts.<domain> expiring within 14 days, from the stored check', async () => {
    now = new Date(start.getTime() + 355 * DAY_MS);
    await loop().checkAll();
    const certs = jsonAlerts(DOMAIN).filter((h) => h.body.kind === 'cert-expiring');
    expect(certs.map((h) => h.body.evidence.host).sort()).toEqual([`mta-sts.${DOMAIN}`, MX1]);
    for (const { body } of certs) {
      const daysLeft = Math.floor((Date.parse(body.evidence.notAfter) - now.getTime()) / DAY_MS);
      expect(daysLeft).toBeLessThan(14);
      expect(body.evidence.daysLeft).toBe(daysLeft);
      expect(body.subject).toBe(`${body.evidence.host}@${body.evidence.notAfter.slice(0, 10)}`);
      expect(body.message).toBe(
        `The certificate of ${body.evidence.host} expires on ${body.evidence.notAfter.slice(0, 10)} (${daysLeft} day(s) left); renew it before senders refuse it.`,
      );
    }
  });
});
