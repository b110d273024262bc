import { describe, expect, it } from 'vitest';
import { certNameMatches, checkPolicyResponse, contentTypeProblem, POLICY_CONTENT_TYPE, policyHost, policyUrl } from './policy-response.js';

const ok = { status: 200, contentType: 'text/plain; charset=utf-8' };

describe('policy URL', () => {
  it('STS-POL-1: exactly https://mta-sts.<domain>/.well-known/mta-sts.txt', () => {
    expect(policyUrl('example.com')).toBe('https://mta-sts.example.com/.well-known/mta-sts.txt');
    expect(policyHost('example.com')).toBe('mta-sts.example.com');
  });
});

describe('checkPolicyResponse', () => {
  it('STS-POL-2: 200 with text/plain is fine', () => {
    expect(checkPolicyResponse({ ...ok, redirected: false, bodyBytes: 100, elapsedMs: 250 })).toEqual([]);
  });

  it.each([201, 204, 404, 500])('STS-POL-2: status %i yields no policy', (status) => {
    expect(checkPolicyResponse({ ...ok, status })).toEqual([
      expect.objectContaining({ code: 'POLICY_FETCH_FAILED', severity: 'error', rule: 'STS-POL-2', detail: 'POLICY_HTTP_STATUS' }),
    ]);
  });

  it.each([301, 302, 307, 308])('STS-POL-3: status %i is a redirect senders never follow', (status) => {
    expect(checkPolicyResponse({ status, contentType: 'text/html' })).toEqual([
      expect.objectContaining({ code: 'POLICY_FETCH_FAILED', rule: 'STS-POL-3', detail: 'POLICY_REDIRECT' }),
    ]);
  });

  it('STS-POL-3: a 301 to a valid file is still an error', () => {
    expect(checkPolicyResponse({ ...ok, redirected: true })).toEqual([
      expect.objectContaining({ code: 'POLICY_FETCH_FAILED', rule: 'STS-POL-3', detail: 'POLICY_REDIRECT' }),
    ]);
  });

  it('STS-POL-17: over 64 KiB or over 60 s is an error', () => {
    expect(checkPolicyResponse({ ...ok, bodyBytes: 65537, elapsedMs: 61_000 }).map((f) => [f.rule, f.detail])).toEqual([
      ['STS-POL-17', 'POLICY_TOO_LARGE'],
      ['STS-POL-17', 'POLICY_TOO_SLOW'],
    ]);
    expect(checkPolicyResponse({ ...ok, bodyBytes: 65536, elapsedMs: 60_000 })).toEqual([]);
  });
});

describe('contentTypeProblem', () => {
  it.each(['text/plain', 'text/plain; charset=utf-8', 'text/plain ; charset=UTF-8', 'TEXT/PLAIN;charset="us-ascii"', 'text/plain; format=flowed'])(
    'STS-POL-4: %s is fine',
    (ct) => {
      expect(contentTypeProblem(ct)).toBeNull();
    },
  );

  it.each(['text/html', 'application/octet-stream', 'text/plain+', 'text/plain; charset=iso-8859-1', ''])('STS-POL-4: "%s" is an error', (ct) => {
    expect(contentTypeProblem(ct)).toContain('text/plain');
    expect(checkPolicyResponse({ status: 200, contentType: ct })).toEqual([
      expect.objectContaining({ code: 'POLICY_FETCH_FAILED', rule: 'STS-POL-4', detail: 'POLICY_CONTENT_TYPE' }),
    ]);
  });

  it('STS-POL-4: a missing Content-Type is an error', () => {
    expect(checkPolicyResponse({ status: 200, contentType: null }).map((f) => f.detail)).toEqual(['POLICY_CONTENT_TYPE']);
  });

  it('STS-POL-18: the content type we serve passes our own check', () => {
    expect(contentTypeProblem(POLICY_CONTENT_TYPE)).toBeNull();
  });
});

describe('certNameMatches', () => {
  it('STS-POL-5: the SAN names mta-sts.<domain> exactly, case-insensitively', () => {
    expect(certNameMatches('mta-sts.example.com', 'mta-sts.example.com')).toBe(true);
    expect(certNameMatches('MTA-STS.Example.com', 'mta-sts.example.com')).toBe(true);
  });

  it('STS-POL-5: a whole left-most wildcard covers one label', () => {
    expect(certNameMatches('*.example.com', 'mta-sts.example.com')).toBe(true);
    expect(certNameMatches('*.example.com', 'a.mta-sts.example.com')).toBe(false);
    expect(certNameMatches('*.example.com', 'example.com')).toBe(false);
  });

  it('STS-POL-5: partial wildcards and bare "*.tld" never match', () => {
    expect(certNameMatches('mta*.example.com', 'mta-sts.example.com')).toBe(false);
    expect(certNameMatches('*.*.example.com', 'a.b.example.com')).toBe(false);
    expect(certNameMatches('*.com', 'example.com')).toBe(false);
  });

  it("STS-POL-5: under delegation the provider's own name does not cover the customer's host", () => {
    expect(certNameMatches('mta-sts.provider.example', 'mta-sts.customer.example')).toBe(false);
  });
});
