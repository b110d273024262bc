import { describe, expect, it } from 'vitest';
import { isValidMxPattern, mxCovered, mxMatches } from './mx-pattern.js';

describe('mxMatches', () => {
  it.each(['mail.example.com', 'MAIL.Example.com'])('STS-POL-13: *.example.com matches %s', (host) => {
    expect(mxMatches('*.example.com', host)).toBe(true);
  });

  it.each(['example.com', 'a.b.example.com', 'mail.example.com.evil.net'])('STS-POL-13: *.example.com does not match %s', (host) => {
    expect(mxMatches('*.example.com', host)).toBe(false);
  });

  // The spec-notes table also lists xmail.example.com as "no match" for *.example.com. RFC 8461 §4.1 says the
  // wildcard matches any single left-most label, so xmail.example.com does match *.example.com; what must not
  // happen is suffix matching of a plain pattern, which is what this case guards against.
  it('STS-POL-13: plain mail.example.com does not match xmail.example.com (no suffix matching)', () => {
    expect(mxMatches('mail.example.com', 'xmail.example.com')).toBe(false);
    expect(mxMatches('example.com', 'mail.example.com')).toBe(false);
  });

  it('STS-POL-13: *.example.com matches xmail.example.com: one whole left-most label (RFC 8461 §4.1)', () => {
    expect(mxMatches('*.example.com', 'xmail.example.com')).toBe(true);
  });

  it('STS-POL-13: a plain pattern matches exactly, case-insensitively', () => {
    expect(mxMatches('mail.example.com', 'mail.example.com')).toBe(true);
    expect(mxMatches('Mail.Example.COM', 'mail.EXAMPLE.com')).toBe(true);
    expect(mxMatches('mail.example.com', 'mail.example.co')).toBe(false);
  });

  it('CHK-5: *.example.com does not cover a.mx.example.com', () => {
    expect(mxMatches('*.example.com', 'a.mx.example.com')).toBe(false);
  });

  it('STS-POL-13: trailing dots on the host are ignored', () => {
    expect(mxMatches('mail.example.com', 'mail.example.com.')).toBe(true);
    expect(mxMatches('*.example.com', 'mail.example.com.')).toBe(true);
  });

  it('STS-POL-13: an IDN host is compared in A-label form', () => {
    expect(mxMatches('xn--mx-lka.example', 'møx.example')).toBe(true);
  });

  it('STS-POL-12: an invalid pattern matches nothing (trailing dot, double wildcard, empty host)', () => {
    expect(mxMatches('mail.example.com.', 'mail.example.com')).toBe(false);
    expect(mxMatches('*.*.example.com', 'a.b.example.com')).toBe(false);
    expect(mxMatches('*.example.com', '')).toBe(false);
    expect(mxMatches('*.example.com', '.example.com')).toBe(false);
  });
});

describe('mxCovered', () => {
  it('ROLL-7: a host is covered when any pattern matches', () => {
    const patterns = ['mx1.example.com', '*.backup.example.net'];
    expect(mxCovered(patterns, 'mx1.example.com')).toBe(true);
    expect(mxCovered(patterns, 'b1.backup.example.net')).toBe(true);
    expect(mxCovered(patterns, 'mx2.example.com')).toBe(false);
    expect(mxCovered([], 'mx1.example.com')).toBe(false);
  });
});

describe('isValidMxPattern', () => {
  it.each(['mail.example.com', '*.example.com', 'xn--mx-lka.example', 'MX1.Example.com', 'a-b.example'])('STS-POL-12: %s is valid', (p) => {
    expect(isValidMxPattern(p)).toBe(true);
  });
  it.each(['*.*.example', '**.example', '*', '*.', 'mail.example.com.', 'møx.example', 'a_b.example', 'a-.example', `${'a'.repeat(64)}.example`])(
    'STS-POL-12: %s is invalid',
    (p) => {
      expect(isValidMxPattern(p)).toBe(false);
    },
  );
});
