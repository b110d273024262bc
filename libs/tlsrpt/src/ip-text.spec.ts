import { describe, expect, it } from 'vitest';
import { canonicalIpText } from './ip-text.js';

describe('canonicalIpText', () => {
  it('RPT-DEV-9: canonical IPv4 and RFC 5952 IPv6 text', () => {
    expect(canonicalIpText(' 192.0.2.1 ')).toBe('192.0.2.1');
    expect(canonicalIpText('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIpText('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIpText('0x7f.1')).toBeNull();
  });

  it('issue 9: an IPv6 zone index is not an address (it made the report unstorable: inet refuses it)', () => {
    expect(canonicalIpText('fe80::1%eth0')).toBeNull();
    expect(canonicalIpText('fe80::1%1')).toBeNull();
  });
});
