import { gzipSync } from 'fflate';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imapSourceSchema, loadConfig, type ImapSourceConfig } from '@app/config';
import { IngestPipeline, NOT_VERIFIED_AT_RECEIPT, type IngestOutcome } from '@app/ingest';
import {
  createTokenProvider,
  NOT_A_REPORT_KEYWORD,
  pgSourceStateStore,
  PROCESSED_KEYWORD,
  syncSource,
  tryLockSource,
  type SyncSourceDeps,
} from '@app/imap-source';
import { openDatabase, ReportWriter } from '@app/store';
import { ImapFlow } from 'imapflow';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startDovecot, type DovecotServer } from './support/dovecot.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';

const SAMPLES = fileURLToPath(new URL('../../shared/samples', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/reports', import.meta.url));
const USER = 'tls-reports';
const PASSWORD = 'throwaway-Pa55';
const limits = (() => {
  const c = loadConfig({});
  if (!c.ok) throw new Error(c.error);
  return c.config.limits;
})();

/** Mail that lands in a report mailbox but is not a report: a cron notice, a bounce-like note, an HTML newsletter. */
const NON_REPORTS = [
  'From: cron@host.test\r\nTo: tls-reports@reports.test\r\nSubject: Cron <root@host> backup\r\nDate: Tue, 02 Jan 2024 10:00:00 +0000\r\n\r\nbackup finished\r\n',
  'From: postmaster@reports.test\r\nTo: tls-reports@reports.test\r\nSubject: Mailbox quota at 80%\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour mailbox is almost full.\r\n',
  'From: news@vendor.test\r\nTo: tls-reports@reports.test\r\nSubject: Newsletter\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello {"not": "a report"}</p>\r\n',
];

/** Every mail the first mailbox receives: shared real samples (when present), wrapped JSON samples, our quirk fixtures, non-reports. */
function mailboxContents(): Array<{ label: string; raw: Buffer }> {
  const out: Array<{ label: string; raw: Buffer }> = [];
  if (existsSync(SAMPLES)) {
    for (const f of readdirSync(SAMPLES).sort()) {
      const path = join(SAMPLES, f);
      if (/\.(eml|elm)$/.test(f)) out.push({ label: f, raw: readFileSync(path) });
      if (f.endsWith('.json')) out.push({ label: f, raw: Buffer.from(buildReportMail({ payload: readFileSync(path, 'utf8'), gzip: true })) });
    }
  }
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()) {
    out.push({ label: f, raw: Buffer.from(buildReportMail({ payload: readFileSync(join(FIXTURES, f), 'utf8'), gzip: f.length % 2 === 0 })) });
  }
  NON_REPORTS.forEach((m, i) => out.push({ label: `non-report-${i}`, raw: Buffer.from(m) }));
  // A report mail whose gzip attachment is cut short: quarantined with its raw bytes, filed as processed.
  const gz = gzipSync(new TextEncoder().encode(makeReport({ reportId: 'truncated-1' })));
  const truncated = buildReportMail({ payload: gz.slice(0, gz.length >> 1), contentType: 'application/tlsrpt+gzip', filename: 'google.com!example.com!1700000000!1700086399.json.gz' });
  out.push({ label: 'truncated-gzip', raw: Buffer.from(truncated) });
  return out;
}

describe('IMAP sources against a real Dovecot on loopback', () => {
  let dovecot: DovecotServer;
  let db: TestDatabase;
  let ds: DataSource;
  let refDb: TestDatabase;
  let refDs: DataSource;
  let tokenServer: Server;
  let tokenUrl: string;
  const issuedTokens: string[] = [];
  const revokedTokens = new Set<string>();
  let imap: ImapFlow;
  const mails = mailboxContents();

  const source = (over: Partial<ImapSourceConfig> & { name: string }): ImapSourceConfig =>
    imapSourceSchema.parse({
      host: '127.0.0.1',
      port: dovecot.tlsPort,
      tls: 'implicit',
      caFile: dovecot.caFile,
      user: USER,
      password: PASSWORD,
      processedFolder: 'Processed',
      nonReportFolder: 'Not-a-report',
      ...over,
    });
  const pipeline = () => new IngestPipeline(new ReportWriter(ds), { limits });
  const deps = (over: Partial<SyncSourceDeps> = {}): SyncSourceDeps => {
    const p = pipeline();
    return {
      ingest: (raw, ctx) => p.ingestMail(raw, ctx),
      state: pgSourceStateStore(ds),
      lock: (name) => tryLockSource(ds, name),
      maxMessageBytes: limits.maxMessageBytes,
      ...over,
    };
  };
  const count = async (sql: string, params: unknown[] = [], on: DataSource = ds) => Number((await on.query(sql, params))[0].n);
  const folderSize = async (folder: string) => {
    const s = await imap.status(folder, { messages: true });
    return s ? s.messages : null;
  };
  const keywordsIn = async (folder: string) => {
    const lock = await imap.getMailboxLock(folder);
    try {
      const flags: string[][] = [];
      for await (const m of imap.fetch('1:*', { flags: true })) flags.push([...(m.flags ?? [])].sort());
      return flags;
    } finally {
      lock.release();
    }
  };
  const append = async (folder: string, raws: Array<string | Buffer>) => {
    await imap.mailboxCreate(folder).catch(() => undefined);
    for (const raw of raws) await imap.append(folder, raw);
  };

  beforeAll(async () => {
    // OAuth2 on loopback: /token issues tokens (refresh-token grant), /introspect is what Dovecot asks to check them.
    tokenServer = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (req.url === '/token') {
        const token = `tok-${issuedTokens.length + 1}`;
        issuedTokens.push(token);
        return json({ access_token: token, token_type: 'Bearer', expires_in: 3599 });
      }
      const token = form.get('token') ?? new URL(req.url ?? '', 'http://x').searchParams.get('token') ?? (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const active = issuedTokens.includes(token) && !revokedTokens.has(token);
      return json(active ? { active: true, username: USER } : { active: false });
    });
    await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}`;
    tokenUrl = `${base}/token`;
    [dovecot, db, refDb] = await Promise.all([
      startDovecot({ users: { [USER]: PASSWORD }, oauth2IntrospectionUrl: `${base}/introspect` }),
      createTestDatabase(),
      createTestDatabase(),
    ]);
    [ds, refDs] = await Promise.all([openDatabase(db.url, { poolSize: 4 }), openDatabase(refDb.url, { poolSize: 2 })]);
    imap = new ImapFlow({ host: '127.0.0.1', port: dovecot.tlsPort, secure: true, tls: { ca: readFileSync(dovecot.caFile) }, auth: { user: USER, pass: PASSWORD }, logger: false });
    await imap.connect();
    await append('INBOX', mails.map((m) => m.raw));
  });
  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await ds?.destroy();
    await refDs?.destroy();
    await dovecot?.stop();
    await db?.drop();
    await refDb?.drop();
    await new Promise((r) => tokenServer?.close(r));
  });

  it('one sync stores every report once, records imap:<name>, and files each message by what it was', async () => {
    // The reference: the same mails straight through the ingest pipeline (the SMTP path) into a second database.
    const ref = new IngestPipeline(new ReportWriter(refDs), { limits });
    const outcomes: IngestOutcome[] = [];
    for (const m of mails) outcomes.push(await ref.ingestMail(m.raw, { source: 'import', receivedAt: new Date(), envelope: {}, dkim: NOT_VERIFIED_AT_RECEIPT }));
    const accepted = outcomes.filter((o) => o.kind === 'accepted');
    const expected = {
      messages: mails.length,
      stored: accepted.reduce((n, o) => n + (o.kind === 'accepted' ? o.counts.stored : 0), 0),
      duplicates: accepted.reduce((n, o) => n + (o.kind === 'accepted' ? o.counts.duplicates : 0), 0),
      quarantined: accepted.reduce((n, o) => n + (o.kind === 'accepted' ? o.counts.quarantined : 0), 0),
      notReports: outcomes.length - accepted.length,
    };
    // Every non-report mail is recognised as one, and every fixture is a report.
    expect(expected.notReports).toBeGreaterThanOrEqual(NON_REPORTS.length);
    expect(expected.quarantined).toBe(1);
    expect(expected.stored).toBeGreaterThanOrEqual(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).length - 1);

    const res = await syncSource(source({ name: 'dovecot-main' }), deps());
    expect(res).toMatchObject({ ok: true, uidValidityChanged: false, stopped: false, lastUid: mails.length });
    if (!res.ok) return;
    expect(res.counts).toEqual({ ...expected, alreadyQuarantined: 0, oversized: 0, moved: mails.length, flagged: 0, errors: 0 });

    const keys = `SELECT dedupe_org || '|' || report_id || '|' || date_start::text AS k FROM report ORDER BY 1`;
    expect((await ds.query(keys)).map((r: { k: string }) => r.k)).toEqual((await refDs.query(keys)).map((r: { k: string }) => r.k));
    expect(await count(`SELECT count(*) AS n FROM report`)).toBe(expected.stored);
    expect(await count(`SELECT count(*) AS n FROM quarantine`)).toBe(await count(`SELECT count(*) AS n FROM quarantine`, [], refDs));
    expect(await ds.query(`SELECT DISTINCT source, dkim_result FROM raw_message`)).toEqual([{ source: 'imap:dovecot-main', dkim_result: 'not-verified' }]);
    expect(await count(`SELECT count(*) AS n FROM raw_message WHERE envelope->'imap'->>'folder' = 'INBOX'`)).toBe(accepted.length);

    expect(await folderSize('INBOX')).toBe(0);
    expect(await folderSize('Processed')).toBe(accepted.length);
    expect(await folderSize('Not-a-report')).toBe(expected.notReports);
    expect(await ds.query(`SELECT source_name, folder, last_uid FROM imap_source_state`)).toEqual([{ source_name: 'dovecot-main', folder: 'INBOX', last_uid: String(mails.length) }]);
  });

  it('a second sync changes nothing', async () => {
    const before = await ds.query(`SELECT (SELECT count(*) FROM report) AS r, (SELECT count(*) FROM raw_message) AS m, (SELECT count(*) FROM quarantine) AS q, (SELECT sum(duplicate_deliveries) FROM report) AS d`);
    const res = await syncSource(source({ name: 'dovecot-main' }), deps());
    expect(res).toMatchObject({ ok: true, lastUid: mails.length, counts: { messages: 0, stored: 0, duplicates: 0, moved: 0, errors: 0 } });
    expect(await ds.query(`SELECT (SELECT count(*) FROM report) AS r, (SELECT count(*) FROM raw_message) AS m, (SELECT count(*) FROM quarantine) AS q, (SELECT sum(duplicate_deliveries) FROM report) AS d`)).toEqual(before);
    expect([await folderSize('INBOX'), (await folderSize('Processed'))! + (await folderSize('Not-a-report'))!]).toEqual([0, mails.length]);
  });

  it('a restart mid-run loses and repeats nothing: stop after 3, crash between commit and move, resume', async () => {
    const folder = 'Resume';
    const ids = ['resume-1', 'resume-2', 'resume-3', 'resume-4', 'resume-5', 'resume-6'];
    await append(folder, [...ids.map((id) => buildReportMail({ payload: makeReport({ reportId: id, org: 'Resume Org' }), gzip: true })), NON_REPORTS[0]]);
    const src = source({ name: 'resume', folder, processedFolder: 'Resume-done', nonReportFolder: 'Resume-junk' });

    // 1. The process is asked to stop after three messages (a shutdown mid-run).
    let seen = 0;
    const first = await syncSource(src, deps({ onMessage: () => seen++, shouldStop: () => seen >= 3 }));
    expect(first).toMatchObject({ ok: true, stopped: true, lastUid: 3, counts: { messages: 3, stored: 3, moved: 3 } });

    // 2. The process dies right after the 4th report is committed, before the message is moved.
    const p = pipeline();
    const crashing = await syncSource(
      src,
      deps({
        ingest: async (raw, ctx) => {
          await p.ingestMail(raw, ctx);
          throw new Error('killed after commit');
        },
      }),
    );
    expect(crashing).toMatchObject({ ok: false, code: 'INGEST_FAILED', lastUid: 3, counts: { messages: 0, errors: 1 } });
    expect(crashing.ok ? '' : crashing.message).toBe('message UID 4 could not be stored, left in "Resume": killed after commit');
    expect(await folderSize(folder)).toBe(4);

    // 3. The restarted process picks up at UID 4: the committed report is a duplicate, nothing is lost or stored twice.
    const resumed = await syncSource(src, deps());
    expect(resumed).toMatchObject({ ok: true, lastUid: 7, counts: { messages: 4, stored: 2, duplicates: 1, notReports: 1, moved: 4, errors: 0 } });
    expect(await ds.query(`SELECT report_id, duplicate_deliveries FROM report WHERE dedupe_org = 'Resume Org' ORDER BY report_id`)).toEqual(
      ids.map((id) => ({ report_id: id, duplicate_deliveries: id === 'resume-4' ? 1 : 0 })),
    );
    expect([await folderSize(folder), await folderSize('Resume-done'), await folderSize('Resume-junk')]).toEqual([0, 6, 1]);
  });

  it('move off: flags \\Seen plus a keyword; a UIDVALIDITY change restarts from the first UID and dedupe keeps it safe', async () => {
    const folder = 'Flagged';
    await append(folder, [buildReportMail({ payload: makeReport({ reportId: 'flag-1', org: 'Flag Org' }) }), buildReportMail({ payload: makeReport({ reportId: 'flag-2', org: 'Flag Org' }), gzip: true }), NON_REPORTS[1]]);
    const src = source({ name: 'flagged', folder, move: false });
    expect(await syncSource(src, deps())).toMatchObject({ ok: true, lastUid: 3, counts: { messages: 3, stored: 2, notReports: 1, flagged: 3, moved: 0 } });
    expect(await keywordsIn(folder)).toEqual([
      [PROCESSED_KEYWORD, '\\Seen'].sort(),
      [PROCESSED_KEYWORD, '\\Seen'].sort(),
      [NOT_A_REPORT_KEYWORD, '\\Seen'].sort(),
    ]);
    expect(await syncSource(src, deps())).toMatchObject({ ok: true, counts: { messages: 0 } });

    await ds.query(`UPDATE imap_source_state SET uid_validity = uid_validity + 1 WHERE source_name = 'flagged'`);
    const again = await syncSource(src, deps());
    expect(again).toMatchObject({ ok: true, uidValidityChanged: true, lastUid: 3, counts: { messages: 3, stored: 0, duplicates: 2, notReports: 1 } });
    expect(await count(`SELECT count(*) AS n FROM report WHERE dedupe_org = 'Flag Org'`)).toBe(2);
  });

  it('a message over MAX_MESSAGE_BYTES is not downloaded: filed with the non-reports, nothing stored', async () => {
    const folder = 'Big';
    const small = buildReportMail({ payload: makeReport({ reportId: 'big-small', org: 'Big Org' }) });
    const big = buildReportMail({ payload: makeReport({ reportId: 'big-big', org: 'Big Org' }), extraHeaders: { 'X-Padding': 'x'.repeat(4000) } });
    await append(folder, [small, big]);
    const src = source({ name: 'big', folder, processedFolder: 'Big-done', nonReportFolder: 'Big-other' });
    const res = await syncSource(src, deps({ maxMessageBytes: Buffer.byteLength(small) + 100 }));
    expect(res).toMatchObject({ ok: true, lastUid: 2, counts: { messages: 2, stored: 1, oversized: 1, notReports: 0, moved: 2 } });
    expect(await ds.query(`SELECT report_id FROM report WHERE dedupe_org = 'Big Org'`)).toEqual([{ report_id: 'big-small' }]);
    expect([await folderSize('Big-done'), await folderSize('Big-other')]).toEqual([1, 1]);
  });

  it('a wrong password is AUTH_FAILED, a missing folder FOLDER_MISSING, an untrusted certificate TLS_CERTIFICATE', async () => {
    const port = dovecot.tlsPort;
    expect(await syncSource(source({ name: 'bad-pass', password: 'wrong' }), deps())).toEqual({
      ok: false,
      code: 'AUTH_FAILED',
      message: `login to 127.0.0.1:${port} was refused: wrong user, password or token (Authentication failed.)`,
      counts: expect.objectContaining({ messages: 0, errors: 1 }),
      uidValidity: null,
      lastUid: null,
    });
    expect(await syncSource(source({ name: 'no-folder', folder: 'TLS Reports' }), deps())).toMatchObject({
      ok: false,
      code: 'FOLDER_MISSING',
      message: `folder "TLS Reports" does not exist on 127.0.0.1:${port}`,
    });
    const untrusted = await syncSource(source({ name: 'no-ca', caFile: undefined }), deps());
    expect(untrusted).toMatchObject({ ok: false, code: 'TLS_CERTIFICATE' });
    expect(untrusted.ok ? '' : untrusted.message).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // None of these touched the stored position.
    expect(await count(`SELECT count(*) AS n FROM imap_source_state WHERE source_name IN ('bad-pass', 'no-folder', 'no-ca')`)).toBe(0);
  });

  it('STARTTLS on the plain port with certificate checks on', async () => {
    const folder = 'Starttls';
    await append(folder, [buildReportMail({ payload: makeReport({ reportId: 'starttls-1', org: 'StartTLS Org' }) })]);
    const res = await syncSource(source({ name: 'starttls', tls: 'starttls', port: dovecot.starttlsPort, folder }), deps());
    expect(res).toMatchObject({ ok: true, counts: { messages: 1, stored: 1 } });
  });

  it('one process per source: the advisory lock held elsewhere makes a sync answer LOCKED and touch nothing', async () => {
    await append('INBOX', [buildReportMail({ payload: makeReport({ reportId: 'locked-1', org: 'Lock Org' }) })]);
    const held = await tryLockSource(ds, 'dovecot-main');
    expect(held).not.toBeNull();
    try {
      expect(await tryLockSource(ds, 'dovecot-main')).toBeNull();
      expect(await syncSource(source({ name: 'dovecot-main' }), deps())).toMatchObject({ ok: false, code: 'LOCKED' });
      expect(await folderSize('INBOX')).toBe(1);
    } finally {
      await held!.release();
    }
    expect(await syncSource(source({ name: 'dovecot-main' }), deps())).toMatchObject({ ok: true, counts: { messages: 1, stored: 1 } });
  });

  it('OAuth2 (XOAUTH2): logs in with a token from the token endpoint and fetches a new one when it is revoked', async () => {
    const folder = 'OAuth';
    await append(folder, [buildReportMail({ payload: makeReport({ reportId: 'oauth-1', org: 'OAuth Org' }) })]);
    const src = source({ name: 'oauth', folder, password: undefined, oauth2: { provider: 'google', clientId: 'cid', clientSecret: 'cs', refreshToken: 'rt', tokenUrl } });
    const tokens = createTokenProvider(src.oauth2!);
    const before = issuedTokens.length;
    expect(await syncSource(src, deps({ tokens }))).toMatchObject({ ok: true, counts: { messages: 1, stored: 1 } });
    expect(issuedTokens.length).toBe(before + 1);
    // The cached token is revoked server-side: the login is refused once, a fresh token is fetched, the sync goes on.
    revokedTokens.add(issuedTokens.at(-1)!);
    await append(folder, [buildReportMail({ payload: makeReport({ reportId: 'oauth-2', org: 'OAuth Org' }) })]);
    expect(await syncSource(src, deps({ tokens }))).toMatchObject({ ok: true, counts: { messages: 1, stored: 1 } });
    expect(issuedTokens.length).toBe(before + 2);
  });
});
