import { describe, expect, it } from 'vitest';
import { parseTlsRptTxt } from './tlsrpt-txt-parser.js';
import { quoteTxt, stsRecordName, tlsRptRecordName, zoneSnippet } from './zone-snippet.js';

describe('record names', () => {
  it('STS-TXT-1: each policy domain, subdomains included, has its own _mta-sts name', () => {
    expect(stsRecordName('example.com')).toBe('_mta-sts.example.com');
    expect(stsRecordName('eu.example.com')).toBe('_mta-sts.eu.example.com');
  });

  it('RPT-TXT-7: DANE reports are addressed via _smtp._tls.<mx-host>, with the same record grammar', () => {
    expect(tlsRptRecordName('mx1.example.net')).toBe('_smtp._tls.mx1.example.net');
    expect(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:tlsrpt@example.net').value?.rua).toEqual(['mailto:tlsrpt@example.net']);
  });
});

describe('zoneSnippet', () => {
  it('BIND lines: quoted TXT values, absolute names, TTL, policy URL comment', () => {
    expect(
      zoneSnippet({
        domain: 'example.org',
        policyUrl: 'https://mta-sts.example.org/.well-known/mta-sts.txt',
        stsTxt: 'v=STSv1; id=1',
        tlsRptTxt: null,
        ttl: 600,
      }),
    ).toBe(
      '; MTA-STS for example.org: serve the policy at https://mta-sts.example.org/.well-known/mta-sts.txt\n' +
        '; (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect) before publishing a new id.\n' +
        '_mta-sts.example.org. 600 IN TXT "v=STSv1; id=1"\n',
    );
  });

  it('STS-TXT-8: a 600-char value becomes three strings of 255, 255 and 90 chars', () => {
    const quoted = quoteTxt('a'.repeat(600));
    expect(quoted).toBe(`"${'a'.repeat(255)}" "${'a'.repeat(255)}" "${'a'.repeat(90)}"`);
  });
});
