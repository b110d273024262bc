import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

// DNS is a map here: the published keys are generated per run and answered by the resolver the app is booted with.
const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof published) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const txt = new Map(
  ['reporter.test', 'other.test'].map((d) => [`sel1._domainkey.${d}`, `v=DKIM1; k=rsa; p=${published.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]),
);
const dkimResolver = async (name: string, rrtype: string) => {
  const record = rrtype === 'TXT' ? txt.get(name.toLowerCase()) : undefined;
  if (record === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return [[record]];
};

async function sign(mail: string, domain: string, key = published): Promise<string> {
  const signer = { signingDomain: domain, selector: 'sel1', privateKey: pem(key) };
  const out = await dkimSign(Buffer.from(mail), { ...signer, signatureData: [signer], canonicalization: 'relaxed/relaxed' });
  expect(out.errors).toEqual([]);
  expect(out.signatures).toMatch(/^DKIM-Signature: /);
  return out.signatures + mail;
}

describe('issue 9 / RPT-DLV-6: every report is classified by its DKIM signature (real listener, mailauth)', () => {
  let app: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    app = await bootTestApp({}, { dkimResolver });
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  async function deliver(reportId: string, transform: (mail: string) => Promise<string> | string) {
    const mail = await transform(buildReportMail({ payload: makeReport({ reportId }), gzip: true, submitter: 'reporter.test' }));
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
    expect(res.final).toEqual({ code: 250, text: '2.0.0 1 report(s) stored' });
    const { rows } = await db.query(
      `SELECT m.dkim_result, m.dkim_aligned, m.dkim_domain, m.dkim_reason, r.authenticated
         FROM report r JOIN raw_message m ON m.id = r.raw_message_id WHERE r.report_id = $1`,
      [reportId],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('signed by the reporting domain: pass, aligned, authenticated', async () => {
    expect(await deliver('dkim-aligned', (m) => sign(m, 'reporter.test'))).toEqual({
      dkim_result: 'pass',
      dkim_aligned: true,
      dkim_domain: 'reporter.test',
      dkim_reason: 'valid signature by reporter.test',
      authenticated: true,
    });
  });

  it('unsigned: none, not authenticated', async () => {
    expect(await deliver('dkim-unsigned', (m) => m)).toEqual({
      dkim_result: 'none',
      dkim_aligned: false,
      dkim_domain: null,
      dkim_reason: 'no DKIM signature',
      authenticated: false,
    });
  });

  it('wrongly signed (body changed after signing): fail, not authenticated', async () => {
    const row = await deliver('dkim-tampered', async (m) => (await sign(m, 'reporter.test')).replace('This is an aggregate TLS report', 'This is an altered TLS report'));
    expect(row).toMatchObject({ dkim_result: 'fail', dkim_aligned: false, dkim_domain: 'reporter.test', authenticated: false });
    expect(row.dkim_reason).toMatch(/^signature by reporter\.test did not verify: /);
  });

  it('wrongly signed (key not the published one): fail, not authenticated', async () => {
    const row = await deliver('dkim-wrong-key', (m) => sign(m, 'reporter.test', unpublished));
    expect(row).toMatchObject({ dkim_result: 'fail', dkim_aligned: false, dkim_domain: 'reporter.test', authenticated: false });
  });

  it('validly signed by another domain (misaligned): pass but not aligned, not authenticated', async () => {
    expect(await deliver('dkim-misaligned', (m) => sign(m, 'other.test'))).toEqual({
      dkim_result: 'pass',
      dkim_aligned: false,
      dkim_domain: 'other.test',
      dkim_reason: 'valid signature by other.test, but its domain does not match the reporting domain reporter.test',
      authenticated: false,
    });
  });

  it('signed by a domain whose key is not published: not authenticated', async () => {
    const row = await deliver('dkim-no-key', (m) => sign(m, 'nokey.test'));
    expect(row).toMatchObject({ dkim_result: 'fail', dkim_aligned: false, dkim_domain: 'nokey.test', authenticated: false });
  });

  it('the reports API shows each verdict and whether the report is authenticated', async () => {
    const list = await app.json('/api/reports?limit=50');
    const byId = new Map<string, number>(list.items.map((r: { reportId: string; id: number }) => [r.reportId, r.id]));
    const verdicts: Record<string, unknown> = {};
    for (const id of ['dkim-aligned', 'dkim-unsigned', 'dkim-tampered', 'dkim-misaligned']) {
      const detail = await app.json(`/api/reports/${byId.get(id)}`);
      verdicts[id] = { result: detail.dkim.result, authenticated: detail.dkim.authenticated };
    }
    expect(verdicts).toEqual({
      'dkim-aligned': { result: 'pass', authenticated: true },
      'dkim-unsigned': { result: 'none', authenticated: false },
      'dkim-tampered': { result: 'fail', authenticated: false },
      'dkim-misaligned': { result: 'pass', authenticated: false },
    });
  });
});
