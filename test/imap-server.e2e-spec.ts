import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startDovecot, type DovecotServer } from './support/dovecot.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const USER = 'tls-reports';
const PASSWORD = 'throwaway-Pa55';

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('server: configured IMAP sources run continuously and report at /api/sources', () => {
  let dovecot: DovecotServer;
  let db: TestDatabase;
  let pool: pg.Pool;
  let imap: ImapFlow;
  let app: TestApp | null = null;
  let dir: string;
  let env: Record<string, string>;
  /** Created on the first boot only; the restarted server keeps accepting it. */
  let token: string;
  const reportCount = async () => Number((await pool.query(`SELECT count(*) AS n FROM report WHERE dedupe_org = 'Server Org'`)).rows[0].n);
  const mail = (id: string) => buildReportMail({ payload: makeReport({ reportId: id, org: 'Server Org' }), gzip: true });
  const source = (name: string) => async () => ((await app!.json('/api/sources', { token })).sources as Array<Record<string, any>>).find((s) => s.name === name);

  beforeAll(async () => {
    [dovecot, db] = await Promise.all([startDovecot({ users: { [USER]: PASSWORD } }), createTestDatabase()]);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    imap = new ImapFlow({ host: '127.0.0.1', port: dovecot.tlsPort, secure: true, tls: { ca: readFileSync(dovecot.caFile) }, auth: { user: USER, pass: PASSWORD }, logger: false });
    await imap.connect();
    for (const id of ['srv-1', 'srv-2']) await imap.append('INBOX', mail(id));
    await imap.append('INBOX', 'From: a@b.test\r\nSubject: hello\r\n\r\nnot a report\r\n');
    const common = { host: '127.0.0.1', port: dovecot.tlsPort, tls: 'implicit', caFile: dovecot.caFile, user: USER, processedFolder: 'Done', nonReportFolder: 'Other' };
    // The good source polls only every 10 minutes: new mail arriving within seconds proves IDLE.
    const good = { ...common, name: 'main', password: PASSWORD, pollSeconds: 600 };
    const bad = { ...common, name: 'typo', password: 'not-the-password', pollSeconds: 600 };
    dir = await mkdtemp(join(tmpdir(), 'sts-imap-cfg-'));
    await writeFile(join(dir, 'imap.json'), JSON.stringify([bad]));
    env = { IMAP_SOURCES: JSON.stringify([good]), IMAP_SOURCES_FILE: join(dir, 'imap.json') };
    app = await bootTestApp(env, { db });
    token = app.adminToken;
  });
  afterAll(async () => {
    await app?.close();
    await imap?.logout().catch(() => undefined);
    await pool?.end();
    await dovecot?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('syncs after boot, files the messages and exposes last sync and counts (read scope)', async () => {
    const main = await until('the first round of "main"', async () => {
      const s = await source('main')();
      return s?.lastSyncAt && s;
    });
    expect(main).toMatchObject({
      name: 'main',
      host: '127.0.0.1',
      folder: 'INBOX',
      auth: 'password',
      idle: true,
      lastError: null,
      consecutiveFailures: 0,
      lastUid: 3,
      totals: { messages: 3, stored: 2, notReports: 1, moved: 3, errors: 0 },
    });
    expect(JSON.stringify(await app!.json('/api/sources', { token }))).not.toContain(PASSWORD);
    expect(await reportCount()).toBe(2);
    expect((await app!.api('/api/sources', { token: null })).status).toBe(401);
  });

  it('a wrong password is reported as AUTH_FAILED with back-off, and the server keeps serving', async () => {
    const typo = await until('the error of "typo"', async () => {
      const s = await source('typo')();
      return s?.lastError && s;
    });
    expect(typo).toMatchObject({ state: 'backoff', consecutiveFailures: 1, lastSyncAt: null, lastError: { code: 'AUTH_FAILED' } });
    expect(typo.lastError.message).toBe(`login to 127.0.0.1:${dovecot.tlsPort} was refused: wrong user, password or token (Authentication failed.)`);
    expect(new Date(typo.nextAttemptAt).getTime()).toBeGreaterThan(Date.now());
    expect((await app!.api('/api/health', { token: null })).status).toBe(200);
  });

  it('/metrics shows each source: up, failures, messages by kind, errors by code', async () => {
    const text = await (await app!.api('/metrics', { token: null })).text();
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'sts_pilot_imap_source_up{source="main"} 1',
        'sts_pilot_imap_source_up{source="typo"} 0',
        'sts_pilot_imap_source_consecutive_failures{source="main"} 0',
        'sts_pilot_imap_messages_total{source="main",kind="report"} 2',
        'sts_pilot_imap_messages_total{source="main",kind="not-a-report"} 1',
      ]),
    );
    expect(text).toMatch(/^sts_pilot_imap_sync_errors_total\{source="typo",code="AUTH_FAILED"\} [1-9]\d*$/m);
    expect(text).toMatch(/^sts_pilot_imap_source_last_sync_timestamp_seconds\{source="main"\} \d+(\.\d+)?$/m);
  });

  it('new mail is picked up at once through IDLE, not at the next poll', async () => {
    await imap.append('INBOX', mail('srv-3'));
    await until('srv-3 stored', async () => (await reportCount()) === 3, 10_000);
    const main = await until('counts updated', async () => {
      const s = await source('main')();
      return s?.totals.messages === 4 && s;
    });
    expect(main).toMatchObject({ lastUid: 4, state: 'waiting', totals: { stored: 3, moved: 4 } });
  });

  it('the advisory lock is taken per round: while another process holds it the server reads nothing, then catches up', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      expect((await other.query(`SELECT pg_try_advisory_lock(hashtext('imap:main')) AS ok`)).rows).toEqual([{ ok: true }]);
      await imap.append('INBOX', mail('srv-lock-1'));
      await until('the skipped round', async () => (await source('main')())?.state === 'locked-elsewhere');
      expect(await reportCount()).toBe(3);
      await other.query(`SELECT pg_advisory_unlock(hashtext('imap:main'))`);
      await imap.append('INBOX', mail('srv-lock-2'));
      await until('both stored', async () => (await reportCount()) === 5, 10_000);
    } finally {
      await other.end();
    }
  });

  it('a server restart neither loses nor repeats: mail arriving while it is down is stored once after restart', async () => {
    await app!.close();
    app = null;
    await imap.append('INBOX', mail('srv-4'));
    await imap.append('INBOX', mail('srv-2')); // a re-delivery of an already stored report
    app = await bootTestApp(env, { db });
    const main = await until('the first round after restart', async () => {
      const s = await source('main')();
      return s?.lastSyncAt && s;
    });
    expect(main).toMatchObject({ lastUid: 8, totals: { messages: 2, stored: 1, duplicates: 1, moved: 2 } });
    expect((await pool.query(`SELECT report_id, duplicate_deliveries FROM report WHERE dedupe_org = 'Server Org' ORDER BY report_id`)).rows).toEqual([
      { report_id: 'srv-1', duplicate_deliveries: 0 },
      { report_id: 'srv-2', duplicate_deliveries: 1 },
      { report_id: 'srv-3', duplicate_deliveries: 0 },
      { report_id: 'srv-4', duplicate_deliveries: 0 },
      { report_id: 'srv-lock-1', duplicate_deliveries: 0 },
      { report_id: 'srv-lock-2', duplicate_deliveries: 0 },
    ]);
    const status = (f: string) => imap.status(f, { messages: true }).then((s) => (s ? s.messages : null));
    expect([await status('INBOX'), await status('Done'), await status('Other')]).toEqual([0, 7, 1]);
  });
});
