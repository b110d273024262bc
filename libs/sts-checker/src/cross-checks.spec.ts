import { describe, expect, it } from 'vitest';
import type { CheckDetails, CertificateInfo, MxProbeDetail } from './checker.types.js';
import { crossCheck } from './cross-checks.js';

const D = 'example.com';
const NOW = new Date('2026-11-23T10:00:00Z');
const BODY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 1209600\r\n';

function cert(host: string): CertificateInfo {
  return {
    subjectCn: host,
    names: [host],
    issuerCn: 'R11',
    validFrom: '2026-10-01T00:00:00.000Z',
    notAfter: '2027-01-30T00:00:00.000Z',
    chainValid: true,
    chainError: null,
    nameMatches: true,
    nameError: null,
  };
}

function probe(over: Partial<MxProbeDetail> = {}): MxProbeDetail {
  return {
    host: 'mx1.example.com',
    priority: 10,
    address: '203.0.113.25',
    skippedAddresses: [],
    banner: '220 mx1.example.com ESMTP',
    starttlsOffered: true,
    tlsVersion: 'TLSv1.3',
    cert: cert('mx1.example.com'),
    errorCode: null,
    error: null,
    elapsedMs: 80,
    ...over,
  };
}

function details(over: Partial<CheckDetails> = {}): CheckDetails {
  return {
    mtaStsTxt: { name: `_mta-sts.${D}`, records: ['v=STSv1; id=20261101000000'], ttl: 3600, error: null, elapsedMs: 5 },
    tlsrptTxt: { name: `_smtp._tls.${D}`, records: ['v=TLSRPTv1; rua=mailto:tlsrpt@example.com'], ttl: 3600, error: null, elapsedMs: 5 },
    mx: { records: [{ exchange: 'mx1.example.com', priority: 10 }], error: null, elapsedMs: 5 },
    policyHost: { name: `mta-sts.${D}`, addresses: [{ address: '203.0.113.10', family: 4, ttl: 300 }], error: null, elapsedMs: 5 },
    policyFetch: {
      url: `https://mta-sts.${D}/.well-known/mta-sts.txt`,
      address: '203.0.113.10',
      skippedAddresses: [],
      status: 200,
      contentType: 'text/plain',
      location: null,
      tlsVersion: 'TLSv1.3',
      cert: cert(`mta-sts.${D}`),
      body: BODY,
      bodyBytes: BODY.length,
      errorCode: null,
      error: null,
      elapsedMs: 40,
    },
    mxProbes: [probe()],
    ...over,
  };
}

function codes(d: CheckDetails, previous?: { id: string; policyBody: string }): string[] {
  return crossCheck(D, d, previous, NOW).map((f) => `${f.severity} ${f.code}${f.detail ? `/${f.detail}` : ''}`);
}

describe('crossCheck (observations → findings, no I/O)', () => {
  it('ROLL-7: a clean enforce deployment has no findings', () => {
    expect(codes(details())).toEqual([]);
  });

  it('a host with public and non-public addresses: the public one is used, the others are named', () => {
    const d = details({ mxProbes: [probe({ skippedAddresses: ['10.0.0.25'] })] });
    const findings = crossCheck(D, d, undefined, NOW);
    expect(findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'ADDRESS_NOT_PUBLIC']]);
    expect(findings[0].message).toContain('10.0.0.25');
  });

  it('an MX lookup that timed out is a lookup failure, not "no MX", and coverage is not judged', () => {
    expect(codes(details({ mx: { records: [], error: 'ETIMEOUT', elapsedMs: 5000 }, mxProbes: [] }))).toEqual(['error DNS_LOOKUP_FAILED']);
  });

  it('an MX host without an address is inconclusive', () => {
    const d = details({ mxProbes: [probe({ errorCode: 'HOST_NOT_FOUND', error: 'the MX host has no address (ENOTFOUND)', address: null, cert: null })] });
    expect(codes(d)).toEqual(['warn MX_PROBE_INCONCLUSIVE/MX_HOST_NOT_FOUND']);
  });

  it('a failed TLS handshake after STARTTLS is a TLS failure', () => {
    const d = details({ mxProbes: [probe({ errorCode: 'TLS_FAILED', error: 'TLS handshake failed: ERR_SSL_UNSUPPORTED_PROTOCOL', cert: null, tlsVersion: null })] });
    expect(codes(d)).toEqual(['error MX_TLS_FAILED/MX_TLS_HANDSHAKE']);
  });

  it('CHK-1: an unparseable previous body that differs still counts as a change under the same id', () => {
    expect(codes(details(), { id: '20261101000000', policyBody: 'garbage' })).toEqual(['error POLICY_ID_NOT_BUMPED']);
    expect(codes(details(), { id: '20261101000000', policyBody: BODY.replace(/\r\n/g, '\n') })).toEqual([]);
  });

  it('a body behind an untrusted certificate is not parsed or used for MX checks', () => {
    const d = details();
    d.policyFetch.cert = { ...cert(`mta-sts.${D}`), chainValid: false, chainError: 'self-signed certificate' };
    d.policyFetch.body = 'not a policy';
    expect(codes(d)).toEqual(['error POLICY_FETCH_FAILED/POLICY_CERT_UNTRUSTED']);
  });

  it('errors come first, then warnings, each in discovery order', () => {
    const d = details({
      tlsrptTxt: { name: `_smtp._tls.${D}`, records: [], ttl: null, error: 'ENODATA', elapsedMs: 5 },
      mxProbes: [probe({ errorCode: 'TIMEOUT', error: 'no answer within 30000 ms (no banner)', cert: null })],
    });
    d.policyFetch.cert = { ...cert(`mta-sts.${D}`), notAfter: '2026-12-01T00:00:00.000Z' };
    expect(codes(d)).toEqual(['error TLSRPT_MISSING/TLSRPT_NONE', 'warn CERT_EXPIRING', 'warn MX_PROBE_INCONCLUSIVE/MX_TIMEOUT']);
  });
});
