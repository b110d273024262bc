// Issue 10: `sts-pilot reparse`. The "parser change" is a limit change: a report quarantined under
// MAX_FAILURE_DETAILS=2 parses under the default cap, and moves into the normal tables on reparse.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

const failure = (mx: string) => ({ 'result-type': 'certificate-expired', 'failed-session-count': 1, 'receiving-mx-hostname': mx });

describe('sts-pilot reparse', () => {
  let app: TestApp;
  let c: pg.Client;
  const cli = (env: Record<string, string>, ...args: string[]) =>
    new Promise<CliRun>((resolve) => {
      const child = spawn('node', ['bin/sts-pilot.js', ...args], {
        env: { ...process.env, DATABASE_URL: app.db.url, DATA_DIR: app.dataDir, SMTP_RECIPIENT_DOMAINS: 'reports.test', LOG_LEVEL: 'silent', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const send = async (payload: string, reportId: string) => {
    const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload, gzip: true, reportId }) });
    expect(sent.final.code, sent.final.text).toBe(250);
  };

  beforeAll(async () => {
    app = await bootTestApp({ MAX_FAILURE_DETAILS: '2' });
    c = new pg.Client({ connectionString: app.db.url });
    await c.connect();
    await send(makeReport({ reportId: 'capped-1', failed: 3, failures: [failure('mx1.example.com'), failure('mx2.example.com'), failure('mx3.example.com')] }), 'capped-1');
    await send('{"organization-name": "Broken Inc."}', 'broken-1');
    await send(makeReport({ reportId: 'noorg-1', org: null }), 'noorg-1');
  });
  afterAll(async () => {
    await c?.end();
    await app?.close();
  });

  it('--quarantine (default): a report over the old MAX_FAILURE_DETAILS cap moves into reports, failures and rollups', async () => {
    const { rows: before } = await c.query(`SELECT reason_code FROM quarantine WHERE resolved_at IS NULL ORDER BY id`);
    expect(before.map((r) => r.reason_code)).toEqual(['TOO_MANY_FAILURE_DETAILS', 'MISSING_FIELD']);
    const brokenCode = before[1].reason_code;

    const run = await cli({}, 'reparse', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ mode: 'quarantine', attempted: 2, resolved: 1, stillQuarantined: 1, reasons: { [brokenCode]: 1 } });

    const { rows: reports } = await c.query(
      `SELECT r.report_id, (SELECT count(*)::int FROM failure_detail f WHERE f.report_pk = r.id) AS failures FROM report r ORDER BY r.report_id`,
    );
    expect(reports).toEqual([
      { report_id: 'capped-1', failures: 3 },
      { report_id: 'noorg-1', failures: 0 },
    ]);
    const { rows: q } = await c.query(
      `SELECT q.reason_code, q.resolved_at IS NOT NULL AS resolved, r.report_id FROM quarantine q LEFT JOIN report r ON r.id = q.resolved_report_pk ORDER BY q.id`,
    );
    expect(q).toEqual([
      { reason_code: 'TOO_MANY_FAILURE_DETAILS', resolved: true, report_id: 'capped-1' },
      { reason_code: brokenCode, resolved: false, report_id: null },
    ]);
    const { rows: rolled } = await c.query(`SELECT sum(failed_sessions)::int AS failed, sum(reports)::int AS reports FROM daily_policy_rollup WHERE day = '2024-01-01'`);
    expect(rolled).toEqual([{ failed: 3, reports: 2 }]);

    const again = await cli({}, 'reparse');
    expect(again.stdout).toBe('1 quarantined part(s) re-parsed\n  moved into the reports: 0\n  still quarantined:      1\n    ' + `${brokenCode}: 1\n`);
  });

  it('--all: re-derives warnings from the stored report text, keeps dedupe keys, leaves what no longer parses as stored', async () => {
    const { rows: noorg } = await c.query(`SELECT warnings FROM report WHERE report_id = 'noorg-1'`);
    const warnings = noorg[0].warnings;
    expect(warnings.map((w: { code: string }) => w.code)).toEqual(['ORGANIZATION_NAME_MISSING']);
    // As an older parser would have stored it.
    await c.query(`UPDATE report SET warnings = '[]' WHERE report_id = 'noorg-1'`);
    const keys = async () => (await c.query(`SELECT id::int, dedupe_org, report_id, date_start FROM report ORDER BY id`)).rows;
    const keysBefore = await keys();

    const run = await cli({}, 'reparse', '--all', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ mode: 'all', reports: 2, updated: 1, unchanged: 1, keyChanged: [], nowFailing: [] });
    expect((await c.query(`SELECT warnings FROM report WHERE report_id = 'noorg-1'`)).rows[0].warnings).toEqual(warnings);
    expect(await keys()).toEqual(keysBefore);

    const capped = keysBefore.find((k) => k.report_id === 'capped-1')!.id;
    const strict = await cli({ MAX_FAILURE_DETAILS: '2' }, 'reparse', '--all', '--json');
    expect(JSON.parse(strict.stdout)).toEqual({ mode: 'all', reports: 2, updated: 0, unchanged: 1, keyChanged: [], nowFailing: [{ id: capped, code: 'TOO_MANY_FAILURE_DETAILS' }] });
    expect(await keys()).toEqual(keysBefore);
  });

  it('--quarantine and --all together are refused', async () => {
    const run = await cli({}, 'reparse', '--quarantine', '--all');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('choose one of --quarantine and --all');
  });
});
