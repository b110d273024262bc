import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { describe, expect, it } from 'vitest';
import { verifyReportDkim, type DkimResolver } from './dkim.js';
import { reportingDomainOf } from './report-headers.js';

// Key handling as DNS really serves it: records split into 255-byte strings, rotated selectors, expiring signatures.
const NOW = new Date('2026-11-02T07:00:00Z');
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = pair();
const privatePem = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const spkiB64 = (key: ReturnType<typeof pair>['publicKey']) => key.export({ type: 'spki', format: 'der' }).toString('base64');

/** A TXT answer the way `dns.promises.resolve(name, 'TXT')` gives it: one record of several ≤255-byte strings. */
const txt = (record: string): string[][] => [record.match(/.{1,255}/g)!];

function resolverOf(records: Record<string, string[][]>): DkimResolver {
  return async (name, rrtype) => {
    const answer = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (!answer) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND', hostname: name });
    return answer;
  };
}

const mail = Buffer.from(
  [
    'From: noreply-smtp-tls-reporting@reporter.example',
    'To: tls-reports@example.net',
    'Date: Mon, 02 Nov 2026 06:12:31 +0000',
    'Subject: Report Domain: example.net Submitter: reporter.example Report-ID: <keys@reporter.example>',
    'MIME-Version: 1.0',
    'Content-Type: application/tlsrpt+json',
    '',
    JSON.stringify({ 'organization-name': 'Reporter', 'report-id': 'keys', policies: [] }),
    '',
  ].join('\r\n'),
);

async function signed(opts: { selector?: string; expires?: Date } = {}): Promise<Buffer> {
  const out = await dkimSign(mail, {
    canonicalization: 'relaxed/relaxed',
    signTime: new Date('2026-11-02T06:12:32Z'),
    ...(opts.expires ? { expires: opts.expires } : {}),
    signatureData: [{ signingDomain: 'reporter.example', selector: opts.selector ?? 'k2026', privateKey: privatePem, algorithm: 'rsa-sha256' }],
  } as never);
  expect(out.errors).toEqual([]);
  return Buffer.concat([Buffer.from(out.signatures), mail]);
}

const published = resolverOf({ 'k2026._domainkey.reporter.example': txt(`v=DKIM1; k=rsa; p=${spkiB64(signing.publicKey)}`) });

describe('verifyReportDkim: keys as DNS serves them (RPT-DLV-6)', () => {
  it('a 2048-bit key split over two TXT strings is joined and verifies', async () => {
    const answer = txt(`v=DKIM1; k=rsa; p=${spkiB64(signing.publicKey)}`);
    expect(answer[0].length).toBeGreaterThan(1);
    expect(await verifyReportDkim(await signed(), { resolver: published, reportingDomain: 'reporter.example', now: NOW })).toEqual({
      result: 'pass',
      aligned: true,
      domain: 'reporter.example',
      selector: 'k2026',
      reason: 'valid signature by reporter.example',
      checkedAt: NOW,
    });
  });

  it('the From domain stands in for a missing TLS-Report-Submitter header', async () => {
    const reportingDomain = reportingDomainOf({ tlsReportSubmitter: null, fromDomain: 'reporter.example' });
    expect(reportingDomain).toBe('reporter.example');
    expect(await verifyReportDkim(await signed(), { resolver: published, reportingDomain, now: NOW })).toMatchObject({ result: 'pass', aligned: true });
  });

  it('after a key rotation the old signature no longer verifies: fail, with the signer named', async () => {
    const rotated = resolverOf({ 'k2026._domainkey.reporter.example': txt(`v=DKIM1; k=rsa; p=${spkiB64(pair().publicKey)}`) });
    expect(await verifyReportDkim(await signed(), { resolver: rotated, reportingDomain: 'reporter.example', now: NOW })).toEqual({
      result: 'fail',
      aligned: false,
      domain: 'reporter.example',
      selector: 'k2026',
      reason: 'signature by reporter.example did not verify: bad signature',
      checkedAt: NOW,
    });
  });

  it('a revoked key (empty p=) is not a pass', async () => {
    const revoked = resolverOf({ 'k2026._domainkey.reporter.example': [['v=DKIM1; k=rsa; p=']] });
    expect(await verifyReportDkim(await signed(), { resolver: revoked, reportingDomain: 'reporter.example', now: NOW })).toMatchObject({
      result: 'fail',
      aligned: false,
      reason: 'signature by reporter.example did not verify: invalid public key',
    });
  });

  it('a key for another selector does not help: the selector asked for is missing', async () => {
    expect(await verifyReportDkim(await signed({ selector: 'k2025' }), { resolver: published, reportingDomain: 'reporter.example', now: NOW })).toMatchObject({
      result: 'fail',
      aligned: false,
      selector: 'k2025',
      reason: 'signature by reporter.example did not verify: no key',
    });
  });

  it('a signature with x= is judged at the injected `now`: valid before it expires, not a pass after', async () => {
    const raw = await signed({ expires: new Date('2026-11-02T06:30:00Z') });
    expect(await verifyReportDkim(raw, { resolver: published, reportingDomain: 'reporter.example', now: new Date('2026-11-02T06:20:00Z') })).toMatchObject({
      result: 'pass',
      aligned: true,
    });
    expect(await verifyReportDkim(raw, { resolver: published, reportingDomain: 'reporter.example', now: NOW })).toMatchObject({
      result: 'fail',
      aligned: false,
      reason: 'signature by reporter.example did not verify: expired',
    });
  });
});
