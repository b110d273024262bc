import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import { fetchProblems, isPlainTextType } from './live-checks.js';
import { observed, testingInput } from './testing/rollout-builders.js';
import type { Advice, PolicyFetch } from './rollout.types.js';

const NOW = '2026-02-04T00:00:00Z';
const codes = (a: Advice) => a.blockers.map((b) => b.code);
const blocker = (a: Advice, code: string) => a.blockers.find((b) => b.code === code);
const OK_FETCH: PolicyFetch = observed().policyFetch;

function withObserved(overrides: Parameters<typeof observed>[1]) {
  return advise(testingInput(NOW, { observed: observed({}, overrides) }));
}

describe('TXT_INVALID (STS-TXT rules)', () => {
  it('STS-TXT-7: no _mta-sts TXT at all', () => {
    const advice = withObserved({ mtaStsTxt: [] });
    expect(codes(advice)).toEqual(['TXT_INVALID']);
    expect(blocker(advice, 'TXT_INVALID')?.message).toContain('_mta-sts.example.com has no single valid v=STSv1 record: there is no TXT record');
    expect(advice.verdict).toBe('fix-deployment');
    expect(advice.proposed).toBeNull();
  });

  it('STS-TXT-7: two v=STSv1 records', () => {
    const advice = withObserved({ mtaStsTxt: ['v=STSv1; id=20260105T000000', 'v=STSv1; id=2'] });
    expect(codes(advice)).toContain('TXT_INVALID');
    expect(blocker(advice, 'TXT_INVALID')?.evidence.records).toEqual(['v=STSv1; id=20260105T000000', 'v=STSv1; id=2']);
  });

  it('STS-TXT-4: an id with a dash is invalid', () => {
    expect(codes(withObserved({ mtaStsTxt: ['v=STSv1; id=2026-01-05'] }))).toContain('TXT_INVALID');
  });

  it('STS-TXT-7: unrelated TXT records at the name are harmless', () => {
    expect(codes(withObserved({ mtaStsTxt: ['google-site-verification=abc', 'v=STSv1; id=20260105T000000'] }))).toEqual([]);
  });
});

describe('POLICY_FETCH_FAILED (STS-POL-2..5, 17)', () => {
  it('STS-POL-3 / CHK-7: a redirect fails even if the target would be fine', () => {
    const advice = withObserved({ policyFetch: { ...OK_FETCH, status: 301, redirected: true, body: '' } });
    expect(codes(advice)).toEqual(['POLICY_FETCH_FAILED']);
    expect(blocker(advice, 'POLICY_FETCH_FAILED')?.message).toContain(
      'Fetching https://mta-sts.example.com/.well-known/mta-sts.txt failed: it answered with a redirect (HTTP 301)',
    );
    // The state comes from the last published entry when the fetch fails.
    expect(advice.state).toBe('testing');
    expect(advice.verdict).toBe('fix-deployment');
  });

  it('STS-POL-2: 404 and 204 yield no policy', () => {
    expect(fetchProblems({ ...OK_FETCH, status: 404 }, 'example.com')).toEqual(['it answered HTTP 404, and only 200 yields a policy']);
    expect(fetchProblems({ ...OK_FETCH, status: 204 }, 'example.com')).toEqual(['it answered HTTP 204, and only 200 yields a policy']);
  });

  it('STS-POL-5: an invalid certificate on the policy host', () => {
    expect(fetchProblems({ ...OK_FETCH, certValid: false }, 'example.com')).toEqual(['the certificate is not valid for mta-sts.example.com']);
  });

  it('no response at all', () => {
    expect(fetchProblems({ ...OK_FETCH, status: null, certValid: null, body: null }, 'example.com')).toEqual([
      'no HTTP response arrived',
      'the certificate is unverified for mta-sts.example.com',
    ]);
  });

  it('STS-POL-4: text/plain with a utf-8 or us-ascii charset passes; text/html or another charset fails', () => {
    expect(isPlainTextType('text/plain')).toBe(true);
    expect(isPlainTextType('text/plain ; charset=UTF-8')).toBe(true);
    expect(isPlainTextType('text/plain; charset="us-ascii"; format=flowed')).toBe(true);
    expect(isPlainTextType('text/html')).toBe(false);
    expect(isPlainTextType('text/plain+')).toBe(false);
    expect(isPlainTextType('text/plain; charset=iso-8859-1')).toBe(false);
    expect(isPlainTextType(null)).toBe(false);
    expect(codes(withObserved({ policyFetch: { ...OK_FETCH, contentType: 'application/octet-stream' } }))).toEqual(['POLICY_FETCH_FAILED']);
  });

  it('STS-POL-17: a body over 64 KiB fails', () => {
    const body = OK_FETCH.body + 'x'.repeat(65_536);
    expect(fetchProblems({ ...OK_FETCH, body }, 'example.com')[0]).toMatch(/^the body is 65\d{3} bytes, over the 65536-byte cap$/);
  });
});

describe('POLICY_INVALID and TLSRPT_MISSING', () => {
  it('STS-POL-7: a blank line makes the served policy invalid; the last published policy keeps the state', () => {
    const body = 'version: STSv1\r\n\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n';
    const advice = withObserved({ policyFetch: { ...OK_FETCH, body } });
    expect(codes(advice)).toContain('POLICY_INVALID');
    expect(blocker(advice, 'POLICY_INVALID')?.message).toContain('https://mta-sts.example.com/.well-known/mta-sts.txt does not parse');
    expect(advice.state).toBe('testing');
    expect(advice.verdict).toBe('fix-deployment');
  });

  it('STS-POL-8: "Mode: Enforce" leaves mode missing: POLICY_INVALID', () => {
    const body = 'version: STSv1\nMode: Enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n';
    expect(codes(withObserved({ policyFetch: { ...OK_FETCH, body } }))).toContain('POLICY_INVALID');
  });

  it('RPT-TXT-1: no TLS-RPT record blocks as a deployment problem and names the record to publish', () => {
    const advice = withObserved({ tlsrptTxt: [] });
    expect(codes(advice)).toEqual(['TLSRPT_MISSING']);
    const b = blocker(advice, 'TLSRPT_MISSING');
    expect(b?.message).toContain('_smtp._tls.example.com has no valid v=TLSRPTv1 record');
    expect(b?.evidence.suggestedRecord).toBe('v=TLSRPTv1; rua=mailto:tlsrpt@localhost');
    expect(advice.verdict).toBe('fix-deployment');
  });

  it('RPT-TXT-3: a rua with a DMARC-style size suffix is not a valid TLS-RPT record', () => {
    expect(codes(withObserved({ tlsrptTxt: ['v=TLSRPTv1; rua=mailto:a@b.example!10m'] }))).toEqual(['TLSRPT_MISSING']);
  });

  it('the proposed TLS-RPT record uses the input reportAddress over the setting', () => {
    const input = testingInput(NOW, { observed: observed({}, { tlsrptTxt: [] }), reportAddress: 'https://sts.example.net/v1/report' });
    expect(advise(input).blockers[0].evidence.suggestedRecord).toBe('v=TLSRPTv1; rua=https://sts.example.net/v1/report');
  });
});
