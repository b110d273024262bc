import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort } from './support/free-port.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

describe('a database failure during DATA answers 451 and leaves nothing half-written', () => {
  let app: TestApp;
  let admin: pg.Client;
  beforeAll(async () => {
    app = await bootTestApp();
    admin = new pg.Client({ connectionString: app.db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await app?.close();
  });
  const counts = async () =>
    (await admin.query(`SELECT (SELECT count(*) FROM raw_message)::int AS raw, (SELECT count(*) FROM report)::int AS reports,
      (SELECT count(*) FROM failure_detail)::int AS failures, (SELECT coalesce(sum(successful_sessions), 0)::int FROM daily_policy_rollup) AS rolled`)).rows[0];

  it('an error in the middle of the ingest transaction rolls everything back', async () => {
    await admin.query(`CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`);
    await admin.query(`CREATE TRIGGER fail_insert BEFORE INSERT ON failure_detail FOR EACH STATEMENT EXECUTE FUNCTION fail_insert()`);
    const before = await counts();
    const json = makeReport({ reportId: 'outage-1', ok: 5, failed: 1, failures: [{ 'result-type': 'validation-failure', 'failed-session-count': 1 }] });
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true }) });
    expect(res.final).toEqual({ code: 451, text: '4.3.0 Temporary failure storing the report, please retry later' });
    expect(await counts()).toEqual(before);
    await admin.query(`DROP TRIGGER fail_insert ON failure_detail`);
    const retry = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true }) });
    expect(retry.final.code).toBe(250);
    expect((await counts()).reports).toBe(before.reports + 1);
  });

  it('the database refusing connections mid-run gives 451, then service resumes', async () => {
    const dbName = new URL(app.db.url).pathname.slice(1);
    const before = await counts();
    await admin.end();
    const outside = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await outside.connect();
    try {
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await outside.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
      const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: makeReport({ reportId: 'outage-2' }), gzip: true }) });
      expect(res.final.code).toBe(451);
      expect(res.final.text).toMatch(/^4\.3\.0 /);
    } finally {
      await outside.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await outside.end();
    }
    admin = new pg.Client({ connectionString: app.db.url });
    await admin.connect();
    expect(await counts()).toEqual(before);
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: makeReport({ reportId: 'outage-2' }), gzip: true }) });
    expect(res.final.code).toBe(250);
    expect((await counts()).reports).toBe(before.reports + 1);
  });
});

describe('a report acknowledged with 250 survives SIGKILL of the server', () => {
  let db: TestDatabase;
  let dataDir: string;
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'sts-pilot-kill-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startProcess(smtpPort: number, httpPort: number): Promise<{ proc: ChildProcess; output: () => string }> {
    const proc = spawn('node', ['dist/apps/server/src/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        SMTP_HOST: '127.0.0.1',
        HTTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        HTTP_PORT: String(httpPort),
        SMTP_RECIPIENT_DOMAINS: 'reports.test',
        // Offline: no DKIM key can be fetched, so point DNS at a closed loopback port.
        DNS_SERVERS: '127.0.0.1:9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (c) => (out += c));
    proc.stderr!.on('data', (c) => (out += c));
    const deadline = Date.now() + 60_000;
    while (!out.includes('HTTP listening')) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { proc, output: () => out };
  }

  it('stores, is killed with SIGKILL, restarts, and still has the report', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const first = await startProcess(smtpPort, httpPort);
    child = first.proc;
    const token = /^\s+(stsp_\S+)$/m.exec(first.output())?.[1];
    expect(token).toBeDefined();
    const res = await sendSmtp({ port: smtpPort, to: ['tlsrpt@reports.test'], data: buildReportMail({ payload: makeReport({ reportId: 'kill-1' }), gzip: true }) });
    expect(res.final.code).toBe(250);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));

    const second = await startProcess(smtpPort, httpPort);
    child = second.proc;
    expect(second.output()).not.toContain('stsp_');
    const list: any = await (await fetch(`http://127.0.0.1:${httpPort}/api/reports`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(list.items.map((r: { reportId: string }) => r.reportId)).toEqual(['kill-1']);
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.once('exit', r));
    child = null;
  });
});
