import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('sts-pilot import: files, mbox and Maildir, safe to run twice', () => {
  let db: TestDatabase;
  let dir: string;
  let dataDir: string;
  const cli = (...args: string[]) =>
    spawnSync('node', ['bin/sts-pilot.js', 'import', ...args], { env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir }, encoding: 'utf8' });

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'sts-import-'));
    dataDir = await mkdtemp(join(tmpdir(), 'sts-import-data-'));
    await writeFile(join(dir, 'a.eml'), buildReportMail({ payload: makeReport({ reportId: 'imp-eml' }), gzip: true }));
    await writeFile(join(dir, 'b.json'), makeReport({ reportId: 'imp-json' }));
    await mkdir(join(dir, 'nested/deeper'), { recursive: true });
    await writeFile(join(dir, 'nested/deeper/google.com!example.com!1700000000!1700086399.json.gz'), gzipSync(enc(makeReport({ reportId: 'imp-gz' }))));
    await writeFile(join(dir, 'nested/c.zip'), zipSync({ 'report.json': enc(makeReport({ reportId: 'imp-zip' })) }));
    await writeFile(join(dir, 'broken.json.gz'), gzipSync(enc('{"organization-name": "x"}')));
    await writeFile(join(dir, 'notes.txt'), 'just some notes');
    const cron = 'From: cron@host.test\nTo: me@host.test\nSubject: cron\n\nAll done.\n';
    const mboxMail = (id: string) => buildReportMail({ payload: makeReport({ reportId: id }), gzip: true }).replace(/\r\n/g, '\n');
    await writeFile(
      join(dir, 'archive.mbox'),
      `From MAILER-DAEMON Thu Jan  4 10:00:00 2024\n${mboxMail('imp-mbox-1')}\n\nFrom MAILER-DAEMON Thu Jan  4 10:00:01 2024\n${cron}\nFrom MAILER-DAEMON Thu Jan  4 10:00:02 2024\n${mboxMail('imp-mbox-2')}\n`,
    );
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, 'Maildir', sub), { recursive: true });
    await writeFile(join(dir, 'Maildir/cur/1700000000.M1P1.host:2,S'), buildReportMail({ payload: makeReport({ reportId: 'imp-maildir-cur' }), gzip: true }));
    await writeFile(join(dir, 'Maildir/new/1700000001.M2P1.host'), buildReportMail({ payload: makeReport({ reportId: 'imp-maildir-new' }), gzip: false }));
    await writeFile(join(dir, 'Maildir/tmp/1700000002.M3P1.host'), buildReportMail({ payload: makeReport({ reportId: 'imp-maildir-tmp' }), gzip: false }));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('--dry-run parses everything and stores nothing', async () => {
    const res = cli(dir, '--dry-run', '--json');
    expect(res.status, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ dryRun: true, stored: 8, quarantined: 1 });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      // A dry run does not even open the database: not a table was created.
      expect((await c.query(`SELECT to_regclass('public.raw_message') AS t`)).rows[0].t).toBeNull();
    } finally {
      await c.end();
    }
  });

  it('stores every report once, quarantines the broken one, names what is not a report', async () => {
    const res = cli(dir, '--json');
    expect(res.status, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout);
    expect(s).toMatchObject({ files: 10, stored: 8, duplicates: 0, quarantined: 1, errors: [] });
    expect(s.notReports).toHaveLength(1);
    expect(s.notReports[0]).toMatch(/archive\.mbox#2: no attachment/);
    expect(s.skipped).toEqual([join(dir, 'notes.txt')]);
    expect(s.quarantineReasons[0]).toMatch(/broken\.json\.gz: MISSING_FIELD/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    onTestFinished(() => c.end());
    const { rows } = await c.query(`SELECT report_id, source FROM report ORDER BY report_id`);
    expect(rows.map((r) => r.report_id)).toEqual(['imp-eml', 'imp-gz', 'imp-json', 'imp-maildir-cur', 'imp-maildir-new', 'imp-mbox-1', 'imp-mbox-2', 'imp-zip']);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['import']));
    const dkim = await c.query(`SELECT DISTINCT dkim_result FROM raw_message`);
    expect(dkim.rows).toEqual([{ dkim_result: 'not-verified' }]);
  });

  it('a second run changes nothing', async () => {
    const res = cli(dir, '--json');
    const s = JSON.parse(res.stdout);
    expect(s).toMatchObject({ stored: 0, duplicates: 8, quarantined: 0, alreadyQuarantined: 1 });
  });

  it('prints a readable summary without --json', async () => {
    const res = cli(join(dir, 'b.json'));
    expect(res.stdout).toContain('duplicates:   1');
  });
});
