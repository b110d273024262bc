import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { openDatabase } from '@app/store';
import { ImapFlow } from 'imapflow';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startDovecot, type DovecotServer } from './support/dovecot.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';

const USER = 'tls-reports';
const PASSWORD = 'throwaway-Pa55';
const NEWSLETTER = 'From: news@vendor.test\r\nTo: tls-reports@reports.test\r\nSubject: Newsletter\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello</p>\r\n';

describe('sts-pilot imap sync (built CLI) against a real Dovecot', () => {
  let dovecot: DovecotServer;
  let db: TestDatabase;
  let ds: DataSource;
  let imap: ImapFlow;
  const count = async (sql: string) => Number((await ds.query(sql))[0].n);
  const folderSize = async (folder: string) => {
    const s = await imap.status(folder, { messages: true });
    return s ? s.messages : null;
  };
  const append = async (folder: string, raws: string[]) => {
    await imap.mailboxCreate(folder).catch(() => undefined);
    for (const raw of raws) await imap.append(folder, raw);
  };

  beforeAll(async () => {
    [dovecot, db] = await Promise.all([startDovecot({ users: { [USER]: PASSWORD } }), createTestDatabase()]);
    ds = await openDatabase(db.url, { poolSize: 2 });
    imap = new ImapFlow({ host: '127.0.0.1', port: dovecot.tlsPort, secure: true, tls: { ca: readFileSync(dovecot.caFile) }, auth: { user: USER, pass: PASSWORD }, logger: false });
    await imap.connect();
  });
  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await ds?.destroy();
    await dovecot?.stop();
    await db?.drop();
  });

  const cli = async (sources: object[], ...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: db.url, IMAP_SOURCES: JSON.stringify(sources) };
    try {
      const { stdout, stderr } = await promisify(execFile)('node', ['bin/sts-pilot.js', 'imap', 'sync', ...args], { env, encoding: 'utf8' });
      return { status: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { status: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const cliSource = (over: object = {}) => ({
    name: 'cli',
    host: '127.0.0.1',
    port: dovecot.tlsPort,
    caFile: dovecot.caFile,
    user: USER,
    password: PASSWORD,
    folder: 'Cli',
    processedFolder: 'Cli-done',
    nonReportFolder: 'Cli-other',
    ...over,
  });

  it('--dry-run parses every message and stores, moves and remembers nothing', async () => {
    await append('Cli', [buildReportMail({ payload: makeReport({ reportId: 'cli-1', org: 'Cli Org' }), gzip: true }), buildReportMail({ payload: makeReport({ reportId: 'cli-2', org: 'Cli Org' }) }), NEWSLETTER]);
    const res = await cli([cliSource()], 'cli', '--dry-run', '--json');
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ source: 'cli', dryRun: true, ok: true, counts: { messages: 3, stored: 2, notReports: 1, moved: 0, errors: 0 } });
    expect(await folderSize('Cli')).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM report WHERE dedupe_org = 'Cli Org'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM imap_source_state WHERE source_name = 'cli'`)).toBe(0);
  });

  it('a real run prints the closing summary, stores and files everything; --since backfills again as duplicates', async () => {
    const res = await cli([cliSource()], 'cli');
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.split('\n')).toEqual(
      expect.arrayContaining(['imap:cli: 3 message(s) read', '  stored:       2', '  duplicates:   0', '  quarantined:  0', '  not a report: 1', '  moved:        3', '  errors:       0']),
    );
    expect([await folderSize('Cli'), await folderSize('Cli-done'), await folderSize('Cli-other')]).toEqual([0, 2, 1]);
    // Backfill the processed folder since a date: every report there is already stored.
    const backfill = await cli([cliSource({ folder: 'Cli-done', processedFolder: 'Cli-done2' })], 'cli', '--since', '2000-01-01', '--json');
    expect(JSON.parse(backfill.stdout)).toMatchObject({ ok: true, counts: { messages: 2, stored: 0, duplicates: 2 } });
    expect(await count(`SELECT count(*) AS n FROM report WHERE dedupe_org = 'Cli Org'`)).toBe(2);
  });

  it('refuses a bad --since, an unknown source, and reports a wrong password with exit 1', async () => {
    const badDate = await cli([cliSource()], 'cli', '--since', '2024-13-01');
    expect([badDate.status, badDate.stderr.trim()]).toEqual([2, 'sts-pilot: --since: expected a date as YYYY-MM-DD (got "2024-13-01")']);
    const unknown = await cli([cliSource()], 'nope');
    expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'sts-pilot: unknown IMAP source "nope" (configured: cli)']);
    const denied = await cli([cliSource({ password: 'wrong' })], 'cli');
    expect(denied.status).toBe(1);
    expect(denied.stdout).toContain(`Error AUTH_FAILED: login to 127.0.0.1:${dovecot.tlsPort} was refused: wrong user, password or token`);
  });
});
