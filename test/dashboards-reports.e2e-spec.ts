import pg from 'pg';
import { extractReportsFromMail } from '@app/report-mail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

describe('reports list sort and quarantine re-parse (real app, real PostgreSQL)', () => {
  let app: TestApp;
  let db: pg.Pool;
  let readToken: string;
  const send = async (json: string) => {
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true }) });
    expect(res.final.code).toBe(250);
    return res.final.text;
  };
  /** A raw message kept as if an older parser had quarantined its report part. */
  const quarantineAsOlderParser = async (mail: string, reportText: string | null, partIndex: number | null) => {
    const { rows } = await db.query(
      `INSERT INTO raw_message (source, sha256, size_bytes, bytes, headers, dkim_result)
       VALUES ('smtp', sha256($1::bytea), length($1::bytea), $1::bytea, $2, 'none') RETURNING id`,
      [Buffer.from(mail), JSON.stringify({ tlsReportSubmitter: 'reporter.test', fromDomain: 'reporter.test' })],
    );
    const q = await db.query(
      `INSERT INTO quarantine (raw_message_id, raw_sha256, part_index, reason_code, reason, report_text)
       SELECT id, sha256, $2, 'OLD_PARSER', 'rejected by an older parser', $3 FROM raw_message WHERE id = $1 RETURNING id`,
      [rows[0].id, partIndex, reportText],
    );
    return Number(q.rows[0].id);
  };

  beforeAll(async () => {
    app = await bootTestApp();
    db = new pg.Pool({ connectionString: app.db.url, max: 2 });
    readToken = (await app.json('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"reader"}' })).token;
    // Delivered in this order, so id order and date order differ.
    for (const [id, day] of [['sort-b', '2024-05-02'], ['sort-c', '2024-05-03'], ['sort-a', '2024-05-01']]) {
      await send(makeReport({ reportId: id, domain: 'sort.test', day, ok: 10 }));
    }
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('GET /api/reports?sort=dateStart pages in date order with keyset cursors', async () => {
    const first = await app.json('/api/reports?domain=sort.test&sort=dateStart&limit=2', { token: readToken });
    expect(first.items.map((r: any) => r.reportId)).toEqual(['sort-a', 'sort-b']);
    expect(first.nextCursor).toBe(`${Date.parse('2024-05-02T00:00:00Z')}.${first.items[1].id}`);
    const second = await app.json(`/api/reports?domain=sort.test&sort=dateStart&limit=2&cursor=${first.nextCursor}`, { token: readToken });
    expect(second).toEqual({ items: [expect.objectContaining({ reportId: 'sort-c' })], nextCursor: null });
    const desc = await app.json('/api/reports?domain=sort.test&sort=-dateStart', { token: readToken });
    expect(desc.items.map((r: any) => r.reportId)).toEqual(['sort-c', 'sort-b', 'sort-a']);
    const byId = await app.json('/api/reports?domain=sort.test&sort=id&limit=1', { token: readToken });
    expect(byId.items.map((r: any) => r.reportId)).toEqual(['sort-b']);
    expect(byId.nextCursor).toBe(byId.items[0].id);
    const newest = await app.json('/api/reports?domain=sort.test', { token: readToken });
    expect(newest.items.map((r: any) => r.reportId)).toEqual(['sort-a', 'sort-c', 'sort-b']);
    const received = await app.json('/api/reports?domain=sort.test&sort=receivedAt', { token: readToken });
    expect(received.items.map((r: any) => r.reportId)).toEqual(['sort-b', 'sort-c', 'sort-a']);
  });

  it.each([
    ['/api/reports?sort=organization_name', 'sort'],
    ['/api/reports?sort=dateStart&cursor=12', 'cursor'],
    ['/api/reports?cursor=1.2', 'cursor'],
    ['/api/reports?cursor=abc', 'cursor'],
  ])('a bad sort or cursor gets 400 naming the field: %s', async (path, field) => {
    const res = await app.api(path, { token: readToken });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe(field);
  });

  it('POST /api/quarantine/:id/reparse moves a part that now parses into reports and rollups, once', async () => {
    const text = makeReport({ org: 'Late Org', reportId: 'late-1', domain: 'reparse.test', day: '2024-06-01', ok: 7, failed: 3, failures: [{ 'result-type': 'sts-policy-invalid', 'failed-session-count': 3, 'receiving-mx-hostname': 'mx.reparse.test' }] });
    const id = await quarantineAsOlderParser(buildReportMail({ payload: text, gzip: true }), text, 1);
    expect((await app.api(`/api/quarantine/${id}/reparse`, { method: 'POST', token: readToken })).status).toBe(403);
    expect((await app.api(`/api/quarantine/${id}/reparse`, { method: 'POST', token: null })).status).toBe(401);
    const res = await app.json(`/api/quarantine/${id}/reparse`, { method: 'POST' });
    expect(res).toEqual({ id, status: 'resolved', reports: [{ reportId: 'late-1', organization: 'Late Org', reportPk: expect.any(Number), duplicate: false }] });
    const detail = await app.json(`/api/reports/${res.reports[0].reportPk}`);
    expect(detail).toMatchObject({ reportId: 'late-1', organization: 'Late Org', reportJson: text });
    const series = await app.json('/api/dashboards/domains/reparse.test/series?from=2024-06-01&to=2024-06-01');
    expect(series.days).toEqual([{ day: '2024-06-01', successfulSessions: 7, failedSessions: 3, failureRate: 0.3, failuresByResultType: { 'sts-policy-invalid': 3 } }]);
    const mx = await app.json('/api/dashboards/domains/reparse.test/breakdowns/receiving-mx?from=2024-06-01&to=2024-06-01');
    expect(mx.items).toEqual([{ value: 'mx.reparse.test', failedSessions: 3, share: 1 }]);
    const list = await app.json('/api/quarantine?resolved=true');
    expect(list.items.find((q: any) => q.id === id)).toMatchObject({ resolvedReportId: res.reports[0].reportPk });
    expect(await app.json(`/api/quarantine/${id}/reparse`, { method: 'POST' })).toEqual({ id, status: 'already-resolved', resolvedReportId: res.reports[0].reportPk });
    expect((await db.query(`SELECT count(*)::int AS n FROM report WHERE report_id = 'late-1'`)).rows[0].n).toBe(1);
    expect((await app.api('/api/quarantine/999999/reparse', { method: 'POST' })).status).toBe(404);
    expect((await app.api('/api/quarantine/abc/reparse', { method: 'POST' })).status).toBe(400);
  });

  it('without stored text, the part is decoded again from the raw mail bytes; a part that still fails stays quarantined', async () => {
    const text = makeReport({ reportId: 'late-2', domain: 'reparse2.test', day: '2024-06-02', ok: 5 });
    const mail = buildReportMail({ payload: text, gzip: true });
    const part = (await extractReportsFromMail(Buffer.from(mail))).candidates.find((c) => c.json !== undefined)!;
    const fromBytes = await quarantineAsOlderParser(mail, null, part.partIndex);
    // Sent live, this one is quarantined by the current parser too (no report-id).
    const broken = JSON.stringify({ 'organization-name': 'Broken Inc.', 'date-range': { 'start-datetime': '2024-01-02T00:00:00Z', 'end-datetime': '2024-01-02T23:59:59Z' }, policies: [] });
    expect(await send(broken)).toBe('2.0.0 1 quarantined');
    const stillBroken = Number((await db.query(`SELECT max(id) AS id FROM quarantine`)).rows[0].id);
    expect((await app.api('/api/quarantine/reparse', { method: 'POST', token: readToken })).status).toBe(403);
    const all = await app.json('/api/quarantine/reparse', { method: 'POST' });
    expect(all).toEqual({
      attempted: 2,
      resolved: 1,
      stillQuarantined: 1,
      items: [
        { id: fromBytes, status: 'resolved', reports: [{ reportId: 'late-2', organization: 'Reporter Inc.', reportPk: expect.any(Number), duplicate: false }] },
        { id: stillBroken, status: 'still-quarantined', code: 'MISSING_FIELD', reason: expect.stringContaining('report-id') },
      ],
    });
    const overview = await app.json('/api/dashboards/domains?from=2024-06-02&to=2024-06-02');
    expect(overview.domains).toEqual([expect.objectContaining({ domain: 'reparse2.test', successfulSessions: 5, failedSessions: 0 })]);
  });
});
