import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyReportDkim, type DkimResolver } from './dkim.js';

// The internet cannot be reached here: a map of TXT records stands in for DNS, and keys are made per run.
const raw = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/mail/google-gzip-qp-banner.eml'));
const now = new Date('2026-11-02T07:00:00Z');
const signTime = new Date('2026-11-02T06:12:35Z');

let privateKey: string;
let txt: Map<string, string>;

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  txt = new Map(
    ['google.com', 'reporter.example', 'esp.example', 'microsoft.com'].map((d) => [`sel1._domainkey.${d}`, `v=DKIM1; k=rsa; s=tlsrpt; p=${p}`]),
  );
});

const mapResolver: DkimResolver = async (name, rrtype) => {
  const record = rrtype === 'TXT' ? txt.get(name.toLowerCase()) : undefined;
  if (record === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return [[record]];
};

async function signed(message: Buffer, signers: Array<{ domain: string; maxBodyLength?: number }>): Promise<Buffer> {
  const signatureData = signers.map((s) => ({ signingDomain: s.domain, selector: 'sel1', privateKey, maxBodyLength: s.maxBodyLength }));
  const out = await dkimSign(message, { ...signatureData[0], signatureData, canonicalization: 'relaxed/relaxed', signTime });
  expect(out.errors).toEqual([]);
  return Buffer.concat([Buffer.from(out.signatures), message]);
}

describe('verifyReportDkim (RPT-DLV-6)', () => {
  it('aligned pass: d= equals the reporting domain', async () => {
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'google.com' }]), { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toEqual({ result: 'pass', aligned: true, domain: 'google.com', selector: 'sel1', reason: 'valid signature by google.com', checkedAt: now });
  });

  it('same organizational domain: d=google.com for submitter smtp-tls-reporting.google.com is aligned', async () => {
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'google.com' }]), {
      resolver: mapResolver,
      reportingDomain: 'smtp-tls-reporting.google.com',
      now,
    });
    expect(v).toMatchObject({ result: 'pass', aligned: true, domain: 'google.com' });
  });

  it('pass but misaligned: a valid signature by another domain does not authenticate the report', async () => {
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'esp.example' }]), { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toEqual({
      result: 'pass',
      aligned: false,
      domain: 'esp.example',
      selector: 'sel1',
      reason: 'valid signature by esp.example, but its domain does not match the reporting domain google.com',
      checkedAt: now,
    });
  });

  it('with an ESP signature and an aligned one, the aligned one counts', async () => {
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'esp.example' }, { domain: 'google.com' }]), {
      resolver: mapResolver,
      reportingDomain: 'google.com',
      now,
    });
    expect(v).toMatchObject({ result: 'pass', aligned: true, domain: 'google.com' });
  });

  it('RPT-DLV-6: a signature with l= is never aligned, even when valid and from the reporting domain', async () => {
    const mail = await signed(raw, [{ domain: 'google.com', maxBodyLength: 200 }]);
    expect(mail.toString('latin1')).toMatch(/; l=200;/);
    const v = await verifyReportDkim(mail, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toEqual({
      result: 'pass',
      aligned: false,
      domain: 'google.com',
      selector: 'sel1',
      reason: 'valid signature by google.com, but it uses l= (a body length limit), which RPT-DLV-6 forbids',
      checkedAt: now,
    });
  });

  it('RPT-DLV-6: why l= is refused: content appended past the signed length still verifies', async () => {
    const mail = await signed(raw, [{ domain: 'google.com', maxBodyLength: 200 }]);
    const appended = Buffer.concat([mail, Buffer.from('\n--appended by someone else\n')]);
    const v = await verifyReportDkim(appended, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toMatchObject({ result: 'pass', aligned: false, domain: 'google.com' });
  });

  it('body tampered after signing: fail', async () => {
    const mail = (await signed(raw, [{ domain: 'google.com' }])).toString('latin1');
    const tampered = Buffer.from(mail.replace('This is an aggregate TLS report from google.com', 'This is an aggregate TLS report from g00gle.com'), 'latin1');
    expect(tampered.equals(Buffer.from(mail, 'latin1'))).toBe(false);
    const v = await verifyReportDkim(tampered, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toEqual({
      result: 'fail',
      aligned: false,
      domain: 'google.com',
      selector: 'sel1',
      reason: 'signature by google.com did not verify: body hash did not verify',
      checkedAt: now,
    });
  });

  it('a signed header (Subject) changed after signing: fail', async () => {
    const mail = (await signed(raw, [{ domain: 'google.com' }])).toString('latin1');
    const tampered = Buffer.from(mail.replace('Subject: Report Domain: example.net', 'Subject: Report Domain: victim.example'), 'latin1');
    expect(tampered.equals(Buffer.from(mail, 'latin1'))).toBe(false);
    const v = await verifyReportDkim(tampered, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toMatchObject({ result: 'fail', aligned: false, domain: 'google.com', reason: 'signature by google.com did not verify: bad signature' });
  });

  it('unsigned mail: none', async () => {
    const v = await verifyReportDkim(raw, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toEqual({ result: 'none', aligned: false, domain: null, selector: null, reason: 'no DKIM signature', checkedAt: now });
  });

  it('a signature further down the header block, its name in lower case, is still found and checked', async () => {
    const withSignature = await signed(raw, [{ domain: 'google.com' }]);
    const signature = withSignature.subarray(0, withSignature.length - raw.length).toString('latin1');
    const firstLineEnd = raw.indexOf('\n') + 1;
    const moved = Buffer.concat([raw.subarray(0, firstLineEnd), Buffer.from(signature.replace(/^DKIM-Signature/, 'dkim-signature'), 'latin1'), raw.subarray(firstLineEnd)]);
    const v = await verifyReportDkim(moved, { resolver: mapResolver, reportingDomain: 'google.com', now });
    expect(v).toMatchObject({ result: 'pass', aligned: true, domain: 'google.com' });
    const tampered = Buffer.from(moved.toString('latin1').replace('External Email', 'External email'), 'latin1');
    expect(await verifyReportDkim(tampered, { resolver: mapResolver, reportingDomain: 'google.com', now })).toMatchObject({ result: 'fail' });
  });

  it('no key published for the selector: fail', async () => {
    txt.delete('sel1._domainkey.microsoft.com');
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'microsoft.com' }]), { resolver: mapResolver, reportingDomain: 'microsoft.com', now });
    expect(v).toMatchObject({ result: 'fail', aligned: false, domain: 'microsoft.com', reason: 'signature by microsoft.com did not verify: no key' });
  });

  it('DNS timeout: temperror, so the check can be retried', async () => {
    const timeout: DkimResolver = async () => {
      throw Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'google.com' }]), { resolver: timeout, reportingDomain: 'google.com', now });
    expect(v).toMatchObject({ result: 'temperror', aligned: false, domain: 'google.com', reason: 'signature by google.com did not verify: DNS failure: ETIMEOUT' });
  });

  it('an unknown reporting domain is never aligned', async () => {
    const v = await verifyReportDkim(await signed(raw, [{ domain: 'google.com' }]), { resolver: mapResolver, reportingDomain: null, now });
    expect(v).toMatchObject({ result: 'pass', aligned: false, reason: 'valid signature by google.com, but its domain does not match the reporting domain (unknown)' });
  });
});
