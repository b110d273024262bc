import { describe, expect, it } from 'vitest';
import { normalizeDomain } from './domain-name.js';

describe('normalizeDomain', () => {
  it('lower-cases and strips the trailing dot', () => {
    expect(normalizeDomain('Example.COM.')).toEqual({ ok: true, domain: 'example.com' });
  });

  it('turns an IDN into punycode', () => {
    expect(normalizeDomain('bücher.example')).toEqual({ ok: true, domain: 'xn--bcher-kva.example' });
  });

  it('keeps a punycode name as it is', () => {
    expect(normalizeDomain('xn--bcher-kva.example')).toEqual({ ok: true, domain: 'xn--bcher-kva.example' });
  });

  it.each([
    ['', 'empty'],
    ['localhost', 'single label'],
    ['192.0.2.1', 'IPv4 literal'],
    ['[2001:db8::1]', 'IPv6 literal'],
    ['exa mple.com', 'space'],
    ['-bad.example.com', 'leading hyphen'],
    ['a..example.com', 'empty label'],
    ['example.123', 'numeric TLD'],
    [`${'a'.repeat(64)}.example.com`, 'label over 63'],
  ])('refuses %j (%s) with DOMAIN_INVALID', (input) => {
    const r = normalizeDomain(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('DOMAIN_INVALID');
  });
});
