import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../apps/server/src/alerts/alerts.service.js';
import { DigestService } from '../apps/server/src/digest/digest.service.js';
import { DomainStore } from '@app/domain-store';
import { rebuildRollups, refreshStaleMonths } from '@app/store';
import { DataSource } from 'typeorm';
import { buildReportMail } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

// A report may claim up to 2^53 - 1 sessions per count (RPT-JSON: non-negative integers; larger ones are BAD_COUNT).
// Hostile or broken senders can send many such reports for one domain and day: every sum the product keeps or
// answers stops at that ceiling instead of overflowing, so no such report ever makes the key unwritable (451 forever).
const MAX = Number.MAX_SAFE_INTEGER;
const DOMAIN = 'huge.example';
const DAY = '2024-05-01';
const YEAR = 'from=2024-01-01&to=2024-12-31';

function policy(o: { ok: number; failed: number; failures?: Array<Record<string, unknown>> }) {
  return {
    policy: { 'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.huge.example', 'max_age: 86400'], 'policy-domain': DOMAIN, 'mx-host': ['mx1.huge.example'] },
    summary: { 'total-successful-session-count': o.ok, 'total-failure-session-count': o.failed },
    ...(o.failures ? { 'failure-details': o.failures } : {}),
  };
}

function report(reportId: string, policies: unknown[]): string {
  return JSON.stringify({
    'organization-name': 'Huge Mail',
    'date-range': { 'start-datetime': `${DAY}T00:00:00Z`, 'end-datetime': `${DAY}T23:59:59Z` },
    'contact-info': 'tlsrpt@huge-mail.test',
    'report-id': reportId,
    policies,
  });
}

// 1,100 failure rows of 2^53 - 1 sessions each: their sum in one policy is ~1,100 times the ceiling (and > 2^63).
const manyFailures = Array.from({ length: 1100 }, (_, i) => ({
  'result-type': 'certificate-expired',
  'sending-mta-ip': `10.0.${i >> 8}.${i & 255}`,
  'receiving-mx-hostname': 'mx1.huge.example',
  'failed-session-count': MAX,
}));
// 1,000 policies (the per-report limit) of 2^53 - 1 successful sessions: two such reports pass 2^63 in one rollup row.
const manyPolicies = (n: number) => Array.from({ length: n }, () => policy({ ok: MAX, failed: 0 }));
const REPORTS = [
  report('huge-failures', [policy({ ok: MAX, failed: MAX, failures: manyFailures })]),
  report('huge-policies-1', manyPolicies(1000)),
  report('huge-policies-2', manyPolicies(1000)),
  report('huge-failures-again', [policy({ ok: 1, failed: MAX, failures: manyFailures.slice(0, 3) })]),
];

describe('session counts stop at 2^53 - 1 instead of overflowing (real app, SMTP, PostgreSQL)', () => {
  let app: TestApp;
  let db: pg.Pool;

  beforeAll(async () => {
    app = await bootTestApp({ REQUIRE_DKIM_FOR_EVIDENCE: 'false' });
    db = new pg.Pool({ connectionString: app.db.url, max: 2 });
    for (const json of REPORTS) {
      const id = JSON.parse(json)['report-id'];
      const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true, policyDomain: DOMAIN, reportId: id }) });
      expect(sent.final.code, `${id}: ${sent.final.text}`).toBe(250);
    }
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('every report is stored with its counts as sent; the rollups hold the ceiling', async () => {
    const { rows: reports } = await db.query(`SELECT report_id FROM report ORDER BY report_id`);
    expect(reports.map((r) => r.report_id)).toEqual(['huge-failures', 'huge-failures-again', 'huge-policies-1', 'huge-policies-2']);
    const { rows: [stored] } = await db.query(
      `SELECT (SELECT count(*)::int FROM failure_detail) AS failures, (SELECT max(failed_session_count)::text FROM failure_detail) AS largest,
              (SELECT count(*)::int FROM report_policy) AS policies`,
    );
    expect(stored).toEqual({ failures: 1103, largest: String(MAX), policies: 2002 });

    const { rows: policyRollup } = await db.query(
      `SELECT successful_sessions::text AS ok, failed_sessions::text AS failed, reports FROM daily_policy_rollup WHERE policy_domain = $1`,
      [DOMAIN],
    );
    expect(policyRollup).toEqual([{ ok: String(MAX), failed: String(MAX), reports: 2002 }]);
    const { rows: failureRollup } = await db.query(`SELECT receiving_mx, sessions::text FROM daily_failure_rollup WHERE policy_domain = $1`, [DOMAIN]);
    expect(failureRollup).toEqual([{ receiving_mx: 'mx1.huge.example', sessions: String(MAX) }]);
    await refreshStaleMonths(app.server.app.get(DataSource), { now: new Date() });
    const { rows: dimensions } = await db.query(
      `SELECT 'daily' AS t, dimension, (SELECT max(s)::text FROM unnest(session_list) s) AS largest, cardinality(value_list) AS n FROM daily_failure_dimension WHERE policy_domain = $1
       UNION ALL SELECT 'monthly', dimension, (SELECT max(s)::text FROM unnest(session_list) s), cardinality(value_list) FROM monthly_failure_dimension WHERE policy_domain = $1
       ORDER BY 1, 2`,
      [DOMAIN],
    );
    expect(dimensions).toHaveLength(12);
    for (const d of dimensions) expect(d.largest, `${d.t} ${d.dimension}`).toBe(String(MAX));
    expect(dimensions.find((d) => d.t === 'monthly' && d.dimension === 'sending-ip')?.n).toBe(1100);
  });

  it('a rebuild of the rollups from the stored reports arrives at the same values', async () => {
    const snapshot = async () =>
      (
        await db.query(
          `SELECT json_build_array(
             (SELECT json_agg(json_build_array(successful_sessions::text, failed_sessions::text, reports)) FROM daily_policy_rollup),
             (SELECT json_agg(json_build_array(receiving_mx, sessions::text) ORDER BY receiving_mx) FROM daily_failure_rollup),
             (SELECT json_agg(json_build_array(r.dimension, u.value, u.sessions::text) ORDER BY r.dimension, u.value)
                FROM daily_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)),
             (SELECT json_agg(json_build_array(r.dimension, u.value, u.sessions::text) ORDER BY r.dimension, u.value)
                FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions))) AS rows`,
        )
      ).rows[0].rows;
    const before = await snapshot();
    const rebuilt = await rebuildRollups(app.server.app.get(DataSource));
    expect(rebuilt.failureRows).toBe(1);
    expect(await snapshot()).toEqual(before);
  });

  it('dashboards answer with counts no larger than the ceiling', async () => {
    const overview = await app.json(`/api/dashboards/domains?${YEAR}`);
    expect(overview.domains).toEqual([
      expect.objectContaining({ domain: DOMAIN, successfulSessions: MAX, failedSessions: MAX, totalSessions: MAX, reports: 2002 }),
    ]);
    const series = await app.json(`/api/dashboards/domains/${DOMAIN}/series?${YEAR}`);
    const day = series.days.find((d: { day: string }) => d.day === DAY);
    expect(day).toMatchObject({ successfulSessions: MAX, failedSessions: MAX });
    for (const dimension of ['receiving-mx', 'sending-ip', 'organization', 'result-type']) {
      const b = await app.json(`/api/dashboards/domains/${DOMAIN}/breakdowns/${dimension}?${YEAR}&limit=5`);
      expect(b.totalFailedSessions, dimension).toBeLessThanOrEqual(MAX);
      expect(b.items[0].failedSessions, dimension).toBe(MAX);
    }
  });

  it('the daily digest and the alert scan read the same rows without failing', async () => {
    const created = await app.api('/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ domain: DOMAIN }) });
    expect(created.status).toBe(201);
    const watched = await app.server.app.get(DomainStore).getDomain(DOMAIN);
    if (!watched) throw new Error('domain not watched');
    const digest = await app.server.app.get(DigestService).digestOf(watched, DAY);
    expect(digest).toMatchObject({ domain: DOMAIN, day: DAY, sessions: MAX, failedSessions: MAX });
    await expect(app.server.app.get(AlertsService).evaluate(watched)).resolves.toEqual(expect.any(Array));
  });
});
