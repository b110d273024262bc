import { describe, expect, it } from 'vitest';
import { addressRange, isPublicAddress, mayContact } from './address-guard.js';
import { canonicalHost, hostNameProblem, isIpLiteral } from './host-name.js';

describe('host names are validated before any lookup', () => {
  it('accepts LDH names with a tolerated trailing dot', () => {
    expect(hostNameProblem('example.com')).toBeNull();
    expect(hostNameProblem('mx-1.Example.COM.')).toBeNull();
    expect(canonicalHost('MX1.Example.com.')).toBe('mx1.example.com');
  });

  it('refuses IP literals, bad labels, single labels and names over 253 characters', () => {
    expect(hostNameProblem('192.0.2.1')).toBe('IP_LITERAL');
    expect(hostNameProblem('[2001:db8::1]')).toBe('IP_LITERAL');
    expect(hostNameProblem('exa mple.com')).toBe('LABEL_INVALID');
    expect(hostNameProblem('-mx.example.com')).toBe('LABEL_INVALID');
    expect(hostNameProblem('a..example.com')).toBe('LABEL_INVALID');
    expect(hostNameProblem(`${'a'.repeat(64)}.example.com`)).toBe('LABEL_INVALID');
    expect(hostNameProblem('localhost')).toBe('SINGLE_LABEL');
    expect(hostNameProblem(`${'abcdefghi.'.repeat(25)}example.com`)).toBe('TOO_LONG');
    expect(hostNameProblem('')).toBe('EMPTY');
  });

  it('tells IP literals from host names that only look numeric', () => {
    expect(isIpLiteral('10.0.0.1')).toBe(true);
    expect(isIpLiteral('::1')).toBe(true);
    expect(isIpLiteral('1.example.com')).toBe(false);
  });
});

describe('address guard (ipaddr.js ranges)', () => {
  it('only public unicast addresses may be contacted by default', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860::1')).toBe(true);
    expect(addressRange('127.0.0.1')).toBe('loopback');
    expect(addressRange('10.1.2.3')).toBe('private');
    expect(addressRange('169.254.0.1')).toBe('linkLocal');
    expect(addressRange('fe80::1')).toBe('linkLocal');
    expect(addressRange('fd00::1')).toBe('uniqueLocal');
    expect(addressRange('::ffff:192.168.1.1')).toBe('private');
    expect(mayContact('127.0.0.1', false)).toBe(false);
    expect(mayContact('127.0.0.1', true)).toBe(true);
    expect(mayContact('not-an-ip', true)).toBe(false);
  });
});
