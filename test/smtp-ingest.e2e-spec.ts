import { Gzip, gzipSync } from 'fflate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, REPORT_DOMAIN, RUA, type TestApp } from './support/test-app.js';

describe('SMTP ingest (real listener, real PostgreSQL)', () => {
  let app: TestApp;
  let db: pg.Pool;
  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    app = await bootTestApp();
    db = new pg.Pool({ connectionString: app.db.url, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('advertises SIZE with the 15 MiB cap and STARTTLS', async () => {
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: makeReport({ reportId: 'ehlo-1' }), gzip: true }) });
    expect(res.ehlo).toContain(`SIZE ${15 * 1024 * 1024}`);
    expect(res.ehlo).toContain('STARTTLS');
  });

  it('RPT-DLV-10: a re-delivered report answers 250, counts as a duplicate and stores once', async () => {
    const mail = buildReportMail({ payload: makeReport({ reportId: 'dup-1', ok: 10, failed: 0 }), gzip: true });
    const first = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(first.final).toMatchObject({ code: 250 });
    const before = { reports: await count('report'), raw: await count('raw_message') };
    const again = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(again.final.code).toBe(250);
    expect(again.final.text).toBe('2.0.0 1 duplicate(s) ignored');
    expect(await count('report')).toBe(before.reports);
    expect(await count('raw_message')).toBe(before.raw);
    const { rows } = await db.query(`SELECT duplicate_deliveries FROM report WHERE report_id = 'dup-1'`);
    expect(rows).toEqual([{ duplicate_deliveries: 1 }]);
  });

  it('RPT-DEV-11/20: a report without organization-name dedupes on the submitter domain', async () => {
    const mail = buildReportMail({ payload: makeReport({ org: null, reportId: 'noorg-1' }), gzip: true, submitter: 'small-sender.test' });
    expect((await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail })).final.code).toBe(250);
    expect((await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail })).final.text).toContain('duplicate');
    const { rows } = await db.query(`SELECT dedupe_org, organization_name FROM report WHERE report_id = 'noorg-1'`);
    expect(rows).toEqual([{ dedupe_org: 'small-sender.test', organization_name: null }]);
  });

  it('a report dated in year 0000 or 10000 (UTC) is quarantined as BAD_DATE with its bytes, not answered 451 forever', async () => {
    for (const [reportId, start] of [['year-0', '0000-01-01T00:00:00Z'], ['year-10000', '9999-12-31T23:59:59-05:00']]) {
      const json = JSON.parse(makeReport({ reportId }));
      json['date-range']['start-datetime'] = start;
      json['date-range']['end-datetime'] = start;
      const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: JSON.stringify(json), gzip: true }) });
      expect(res.final).toMatchObject({ code: 250, text: '2.0.0 1 quarantined' });
      const { rows } = await db.query(
        `SELECT q.reason_code, q.reason, length(m.bytes) > 0 AS kept FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id
          WHERE q.report_text LIKE $1`,
        [`%"${reportId}"%`],
      );
      expect(rows).toEqual([{ reason_code: 'BAD_DATE', reason: `date-range.start-datetime "${start}" is outside the years 1 to 9999 (UTC)`, kept: true }]);
    }
  });

  it('the same report twice in one message is stored once', async () => {
    const json = makeReport({ reportId: 'twice-1' });
    const boundary = 'xx';
    const part = Buffer.from(gzipSync(new TextEncoder().encode(json))).toString('base64');
    const mail = [
      `From: r@reporter.test`,
      `To: ${RUA}`,
      'Subject: two attachments',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: application/tlsrpt+gzip',
      'Content-Transfer-Encoding: base64',
      '',
      part,
      `--${boundary}`,
      'Content-Type: application/gzip',
      'Content-Transfer-Encoding: base64',
      '',
      part,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(res.final.text).toBe('2.0.0 1 report(s) stored, 1 duplicate(s) ignored');
    expect((await db.query(`SELECT count(*)::int AS n FROM report WHERE report_id = 'twice-1'`)).rows[0].n).toBe(1);
  });

  it('stores failure rows and keeps the daily rollup in step (bucketed by start-datetime, RPT-DEV-2)', async () => {
    const failures = [
      { 'result-type': 'certificate-expired', 'sending-mta-ip': '192.0.2.10', 'receiving-ip': '198.51.100.7', 'receiving-mx-hostname': 'mx1.example.com', 'failed-session-count': 4 },
      { 'result-type': 'starttls-not-supported', 'sending-mta-ip': 'x.x.x.x', 'receiving-mx-hostname': 'mx2.example.com', 'failed-session-count': 2 },
    ];
    const json = makeReport({ reportId: 'fail-1', domain: 'rollup.example', day: '2024-03-05', ok: 94, failed: 6, failures });
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true }) });
    expect(res.final.code).toBe(250);
    const { rows: fd } = await db.query(
      `SELECT result_type, failed_session_count::int AS n, sending_mta_ip, host(sending_mta_ip_inet) AS inet, receiving_mx_hostname, day::text
         FROM failure_detail WHERE policy_domain = 'rollup.example' ORDER BY result_type`,
    );
    expect(fd).toEqual([
      { result_type: 'certificate-expired', n: 4, sending_mta_ip: '192.0.2.10', inet: '192.0.2.10', receiving_mx_hostname: 'mx1.example.com', day: '2024-03-05' },
      { result_type: 'starttls-not-supported', n: 2, sending_mta_ip: 'x.x.x.x', inet: null, receiving_mx_hostname: 'mx2.example.com', day: '2024-03-05' },
    ]);
    const { rows: pr } = await db.query(
      `SELECT day::text, organization, successful_sessions::int AS ok, failed_sessions::int AS failed, reports FROM daily_policy_rollup WHERE policy_domain = 'rollup.example'`,
    );
    expect(pr).toEqual([{ day: '2024-03-05', organization: 'Reporter Inc.', ok: 94, failed: 6, reports: 1 }]);
    const { rows: fr } = await db.query(
      `SELECT result_type, receiving_mx, sessions::int AS n FROM daily_failure_rollup WHERE policy_domain = 'rollup.example' ORDER BY result_type`,
    );
    expect(fr).toEqual([
      { result_type: 'certificate-expired', receiving_mx: 'mx1.example.com', n: 4 },
      { result_type: 'starttls-not-supported', receiving_mx: 'mx2.example.com', n: 2 },
    ]);
  });

  it('a report found but failing to parse is quarantined with its reason and raw bytes, and answered 250', async () => {
    const broken = JSON.stringify({ 'organization-name': 'Broken Inc.', 'date-range': { 'start-datetime': '2024-01-02T00:00:00Z', 'end-datetime': '2024-01-02T23:59:59Z' }, policies: [] });
    const mail = buildReportMail({ payload: broken, gzip: true });
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(res.final).toEqual({ code: 250, text: '2.0.0 1 quarantined' });
    const { rows } = await db.query(
      `SELECT q.reason_code, q.reason, q.report_text, m.bytes FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id ORDER BY q.id DESC LIMIT 1`,
    );
    expect(rows[0].reason_code).toBe('MISSING_FIELD');
    expect(rows[0].reason).toContain('report-id');
    expect(rows[0].report_text).toBe(broken);
    expect(rows[0].bytes.toString('latin1')).toContain('Subject: Report Domain: example.com');
    const list = await app.json('/api/quarantine');
    expect(list.items[0]).toMatchObject({ reasonCode: 'MISSING_FIELD', source: 'smtp' });
  });

  it('a gzip bomb (1 GiB decompressed) is stopped at the 20 MiB cap and quarantined with the cap named, under a memory bound', async () => {
    const bomb = gzipBomb(1024); // 1 GiB of zeros, about 1 MiB compressed
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: bomb, gzip: false, contentType: 'application/tlsrpt+gzip' }) });
    expect(res.final).toEqual({ code: 250, text: '2.0.0 1 quarantined' });
    const { rows } = await db.query(`SELECT reason_code, reason FROM quarantine ORDER BY id DESC LIMIT 1`);
    expect(rows[0].reason_code).toBe('DECOMPRESSED_TOO_LARGE');
    expect(rows[0].reason).toContain(String(20 * 1024 * 1024));
    // The server runs in this process: decompressing the whole bomb would cost 64 MiB or more.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('a 16 MiB message gets 552 5.3.4 and nothing is stored', async () => {
    const before = await count('raw_message');
    const filler = 'A'.repeat(76) + '\r\n';
    const big = `From: a@b.test\r\nTo: ${RUA}\r\nSubject: big\r\n\r\n` + filler.repeat(Math.ceil((16 * 1024 * 1024) / filler.length));
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: big });
    expect(res.final.code).toBe(552);
    expect(res.final.text).toMatch(/^5\.3\.4 /);
    expect(await count('raw_message')).toBe(before);
  });

  it('RPT-DEV-25: a mail with no report in it gets 550 5.6.0 with the reason', async () => {
    const mail = `From: cron@host.test\r\nTo: ${RUA}\r\nSubject: Cron <root@host> run-parts\r\n\r\nAll jobs finished.\r\n`;
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(res.final.code).toBe(550);
    expect(res.final.text).toMatch(/^5\.6\.0 No TLS report found in this message: /);
  });

  it('a recipient at another domain gets 550 5.7.1 (never a relay)', async () => {
    const res = await sendSmtp({ port: app.smtpPort, to: ['someone@elsewhere.test'], data: 'x' });
    expect(res.stage).toBe('rcpt');
    expect(res.final.code).toBe(550);
    expect(res.final.text).toMatch(/^5\.7\.1 /);
  });

  it('reads reports back over the API, with DKIM verdict and warnings', async () => {
    const list = await app.json(`/api/reports?domain=rollup.example`);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ reportId: 'fail-1', successfulSessions: 94, failedSessions: 6, policyDomains: ['rollup.example'] });
    const detail = await app.json(`/api/reports/${list.items[0].id}`);
    expect(detail.dkim).toMatchObject({ result: 'none', authenticated: false });
    expect(detail.policies[0].failures).toHaveLength(2);
    expect(JSON.parse(detail.reportJson)['report-id']).toBe('fail-1');
    const raw = await app.api(`/api/reports/${list.items[0].id}/raw`);
    expect(raw.headers.get('content-type')).toContain('message/rfc822');
    expect(await raw.text()).toContain(`TLS-Report-Domain: example.com`);
  });

  it('the OpenAPI document describes the reports and quarantine responses exactly as served', async () => {
    const doc = await (await app.api('/api/docs-json', { token: null })).json();
    const schemas = doc.components.schemas;
    const refOf = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema.$ref.split('/').pop();
    const conforms = (name: string, body: Record<string, unknown>) => {
      expect(schemas[name], name).toBeDefined();
      expect(Object.keys(body).sort(), name).toEqual(Object.keys(schemas[name].properties).sort());
    };
    const list = await app.json('/api/reports?domain=rollup.example');
    conforms(refOf('/api/reports'), list);
    conforms('ReportListItemDto', list.items[0]);
    const detail = await app.json(`/api/reports/${list.items[0].id}`);
    conforms(refOf('/api/reports/{id}'), detail);
    conforms('DkimVerdictDto', detail.dkim);
    conforms('ReportPolicyDto', detail.policies[0]);
    conforms('FailureDetailDto', detail.policies[0].failures[0]);
    conforms('DateRangeDto', detail.dateRange);
    const q = await app.json('/api/quarantine');
    conforms(refOf('/api/quarantine'), q);
    conforms('QuarantineItemDto', q.items[0]);
    expect(doc.paths['/api/reports/{id}/raw'].get.responses['200'].content['message/rfc822']).toBeDefined();
  });

  it('counts SMTP connections and replies by code in /metrics', async () => {
    const text = await (await app.api('/metrics', { token: null })).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    expect(value(/^sts_pilot_smtp_connections_total (\d+)/m)).toBeGreaterThanOrEqual(10);
    expect(value(/^sts_pilot_smtp_replies_total\{code="250"\} (\d+)/m)).toBeGreaterThanOrEqual(10);
    expect(value(/^sts_pilot_smtp_replies_total\{code="550"\} (\d+)/m)).toBe(2);
    expect(value(/^sts_pilot_smtp_replies_total\{code="552"\} (\d+)/m)).toBe(1);
  });

  it(`only ${REPORT_DOMAIN} is served; filters are validated (400 names the field)`, async () => {
    const res = await app.api('/api/reports?from=yesterday');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe('from');
    expect((await app.api('/api/reports?limit=0')).status).toBe(400);
    expect((await app.api('/api/reports?sort=id;drop')).status).toBe(400);
  });
});

/** Streams `mib` MiB of zeros through gzip without ever holding them in memory. */
function gzipBomb(mib: number): Uint8Array {
  const out: Uint8Array[] = [];
  const gz = new Gzip({ level: 9 }, (chunk) => out.push(chunk));
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mib; i++) gz.push(zeros, i === mib - 1);
  return Buffer.concat(out);
}
