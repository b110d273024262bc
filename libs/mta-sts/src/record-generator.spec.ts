import { describe, expect, it } from 'vitest';
import { generateRecords, STAGE_MAX_AGE, type GenerateInput, type GenerateResult } from './record-generator.js';
import { parsePolicy } from './policy-parser.js';
import { parseStsTxt } from './sts-txt-parser.js';
import { parseTlsRptTxt } from './tlsrpt-txt-parser.js';
import { quoteTxt } from './zone-snippet.js';

const NOW = new Date('2026-11-23T10:15:30Z');
const gen = (over: Partial<GenerateInput> = {}) =>
  generateRecords({ domain: 'example.com', mx: ['mx1.example.com', 'mx2.example.com'], now: NOW, ...over });

function ok(r: GenerateResult) {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.findings)}`);
  return r.value;
}
const codes = (r: GenerateResult) => r.findings.map((f) => f.code);

describe('generateRecords per stage', () => {
  it('STAGE_MAX_AGE holds the stage defaults', () => {
    expect(STAGE_MAX_AGE).toEqual({ testing: 86400, 'enforce-first': 604800, 'enforce-steady': 1209600, retire: 86400 });
  });

  it('ROLL stage testing (default): mode testing, max_age 86400, complete records', () => {
    const r = gen({ reportAddress: 'tlsrpt@sts.example.net' });
    expect(r.findings).toEqual([]);
    expect(ok(r)).toEqual({
      policy: { version: 'STSv1', mode: 'testing', mx: ['mx1.example.com', 'mx2.example.com'], maxAge: 86400, extensions: {} },
      policyBody: 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n',
      id: '20261123101530',
      stsTxt: 'v=STSv1; id=20261123101530',
      tlsRptTxt: 'v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net',
      policyUrl: 'https://mta-sts.example.com/.well-known/mta-sts.txt',
      zoneSnippet: [
        '; MTA-STS for example.com: serve the policy at https://mta-sts.example.com/.well-known/mta-sts.txt',
        '; (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect) before publishing a new id.',
        '_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=20261123101530"',
        '_smtp._tls.example.com. 86400 IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net"',
        '',
      ].join('\n'),
    });
  });

  it('ROLL-8: stage enforce-first → mode enforce, max_age 604800, with a ramp note (not a warning)', () => {
    const r = gen({ stage: 'enforce-first' });
    expect(ok(r).policy).toMatchObject({ mode: 'enforce', maxAge: 604800 });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MAX_AGE_RAMP', severity: 'info', rule: 'ROLL-9' })]);
  });

  it('ROLL-9: stage enforce-steady → mode enforce, max_age 1209600, no findings', () => {
    const r = gen({ stage: 'enforce-steady' });
    expect(ok(r).policy).toMatchObject({ mode: 'enforce', maxAge: 1209600 });
    expect(r.findings).toEqual([]);
  });

  it('ROLL-13: stage retire → mode none, max_age 86400, mx kept', () => {
    const v = ok(gen({ stage: 'retire' }));
    expect(v.policyBody).toBe('version: STSv1\r\nmode: none\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n');
  });

  it('a mode alone picks its first stage: enforce → enforce-first, none → retire', () => {
    expect(ok(gen({ mode: 'enforce' })).policy.maxAge).toBe(604800);
    expect(ok(gen({ mode: 'none' })).policy).toMatchObject({ mode: 'none', maxAge: 86400 });
  });

  it('a mode that contradicts the stage is refused', () => {
    const r = gen({ stage: 'testing', mode: 'enforce' });
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['STAGE_MODE_CONFLICT']);
  });

  it('an explicit max_age overrides the stage default', () => {
    expect(ok(gen({ stage: 'enforce-steady', maxAge: 31557600 })).policyBody).toContain('max_age: 31557600\r\n');
  });

  it('the generated records pass our strict parsers', () => {
    for (const stage of ['testing', 'enforce-first', 'enforce-steady', 'retire'] as const) {
      const v = ok(gen({ stage, reportAddress: 'tlsrpt@sts.example.net' }));
      expect(parsePolicy(v.policyBody)).toEqual({ value: v.policy, findings: [] });
      expect(parseStsTxt(v.stsTxt).findings).toEqual([]);
      expect(parseTlsRptTxt(v.tlsRptTxt!).findings).toEqual([]);
    }
  });
});

describe('generateRecords refusals (ROLL-3, STS-POL-11/12)', () => {
  it('ROLL-3: max_age 31557601 is refused, not clamped', () => {
    const r = gen({ maxAge: 31557601 });
    expect(r).toEqual({ ok: false, findings: [expect.objectContaining({ code: 'MAX_AGE_OUT_OF_RANGE', severity: 'error', rule: 'ROLL-3' })] });
    expect(r.findings[0].message).toContain('31557601');
  });

  it.each([0, -1])('ROLL-3: max_age %i is refused (generated max_age is > 0)', (maxAge) => {
    expect(codes(gen({ maxAge }))).toEqual(['MAX_AGE_OUT_OF_RANGE']);
  });

  it.each([1.5, Number.NaN])('STS-POL-14: max_age %s is refused', (maxAge) => {
    expect(codes(gen({ maxAge }))).toEqual(['MAX_AGE_INVALID']);
  });

  it('STS-POL-11: no mx outside mode none is refused with MX_INVALID', () => {
    const r = gen({ mx: [] });
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MX_INVALID', rule: 'STS-POL-11' })]);
    expect(codes(gen({ mx: [], stage: 'enforce-steady' }))).toEqual(['MX_INVALID']);
  });

  it('STS-POL-11: mode none with no mx is generated', () => {
    expect(ok(gen({ mx: [], stage: 'retire' })).policyBody).toBe('version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n');
  });

  it.each(['192.0.2.25', '2001:db8::25', '[192.0.2.25]'])('MX_INVALID: an MX that is an IP address (%s) is refused', (mx) => {
    const r = gen({ mx: ['mx1.example.com', mx] });
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MX_INVALID', severity: 'error' })]);
    expect(r.findings[0].message).toContain(JSON.stringify(mx));
  });

  it('MX_INVALID: a null MX "." is refused', () => {
    expect(codes(gen({ mx: ['.'] }))).toEqual(['MX_INVALID']);
  });

  it.each(['*.*.example.com', '**.example.com', 'mx_1.example.com', 'mail.*.example.com'])('STS-POL-12: pattern %s is refused', (mx) => {
    const r = gen({ mx: [mx] });
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MX_PATTERN_INVALID', rule: 'STS-POL-12' })]);
  });

  it('STS-POL-12: "mail.example.com." has its trailing dot stripped with a warning', () => {
    const r = gen({ mx: ['mail.example.com.'] });
    expect(ok(r).policy.mx).toEqual(['mail.example.com']);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MX_TRAILING_DOT', severity: 'warn', rule: 'STS-POL-12' })]);
  });

  it('STS-POL-12: "møx.example" is converted to its A-label', () => {
    const r = gen({ mx: ['møx.example', '*.bücher.example'] });
    expect(ok(r).policy.mx).toEqual(['xn--mx-lka.example', '*.xn--bcher-kva.example']);
    expect(codes(r)).toEqual(['MX_IDN_CONVERTED', 'MX_IDN_CONVERTED']);
  });

  it('mx patterns are lower-cased and deduplicated', () => {
    const r = gen({ mx: ['MX1.Example.com', 'mx1.example.com'] });
    expect(ok(r).policy.mx).toEqual(['mx1.example.com']);
    expect(codes(r)).toEqual(['MX_DUPLICATE']);
  });

  it.each(['', 'localhost', '192.0.2.1', 'exa_mple.com', '*.example.com', '-bad.example'])('DOMAIN_INVALID: domain "%s" is refused', (domain) => {
    const r = gen({ domain });
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['DOMAIN_INVALID']);
  });

  it('the domain is normalized: case, trailing dot (warn), IDN', () => {
    const a = gen({ domain: 'Example.COM.' });
    expect(ok(a).policyUrl).toBe('https://mta-sts.example.com/.well-known/mta-sts.txt');
    expect(codes(a)).toEqual(['DOMAIN_TRAILING_DOT']);
    expect(ok(gen({ domain: 'bücher.example' })).zoneSnippet).toContain('_mta-sts.xn--bcher-kva.example. ');
  });

  it.each(['tlsrpt@x.example!10m', 'http://r.example.net/v1', 'not an address', ''])('RPT-TXT-2: report address "%s" is refused', (reportAddress) => {
    expect(codes(gen({ reportAddress }))).toEqual(['REPORT_ADDRESS_INVALID']);
  });

  it('RPT-TXT-2: an https: report address is used as-is', () => {
    expect(ok(gen({ reportAddress: 'https://sts.example.net/tlsrpt' })).tlsRptTxt).toBe('v=TLSRPTv1; rua=https://sts.example.net/tlsrpt');
  });

  it('all refusals are reported together', () => {
    expect(codes(gen({ domain: 'localhost', mx: ['192.0.2.1'], maxAge: 40000000, reportAddress: 'x' }))).toEqual([
      'DOMAIN_INVALID',
      'MX_INVALID',
      'MAX_AGE_OUT_OF_RANGE',
      'REPORT_ADDRESS_INVALID',
    ]);
  });

  it('an invalid TXT TTL is refused', () => {
    expect(codes(gen({ txtTtl: 0 }))).toEqual(['TXT_TTL_INVALID']);
  });
});

describe('generateRecords advisories (ROLL-4)', () => {
  it('ROLL-4: testing max_age under 86400 warns (but is generated)', () => {
    const r = gen({ maxAge: 3600 });
    expect(ok(r).policy.maxAge).toBe(3600);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MAX_AGE_SHORT_TESTING', severity: 'warn', rule: 'ROLL-4' })]);
  });

  it('ROLL-4: enforce max_age under 1209600 warns in the steady stage', () => {
    const r = gen({ stage: 'enforce-steady', maxAge: 604800 });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MAX_AGE_SHORT_ENFORCE', severity: 'warn', rule: 'ROLL-4' })]);
  });

  it('ROLL-4: enforce-first under the ramp value warns', () => {
    expect(codes(gen({ stage: 'enforce-first', maxAge: 3600 }))).toEqual(['MAX_AGE_SHORT_ENFORCE']);
  });

  it('ROLL-4: retire (mode none) gets no max_age warning', () => {
    expect(gen({ stage: 'retire', maxAge: 3600 }).findings).toEqual([]);
  });
});

describe('ids and zone snippet', () => {
  it('STS-TXT-11: a used id gets a suffix and is never repeated', () => {
    const first = ok(gen()).id;
    const second = ok(gen({ usedIds: [first] })).id;
    expect(second).toBe('202611231015300');
    expect(ok(gen({ usedIds: [first, second] })).id).toBe('202611231015301');
  });

  it('STS-FET-11: the TXT TTL goes into the zone lines', () => {
    expect(ok(gen({ txtTtl: 300 })).zoneSnippet).toContain('_mta-sts.example.com. 300 IN TXT "v=STSv1; id=20261123101530"');
  });

  it('no report address → no _smtp._tls line', () => {
    const v = ok(gen());
    expect(v.tlsRptTxt).toBeNull();
    expect(v.zoneSnippet).not.toContain('_smtp._tls');
  });

  it('STS-TXT-8: TXT values over 255 chars are split into several quoted strings', () => {
    const long = `https://reports.example.net/${'p'.repeat(300)}`;
    const v = ok(gen({ reportAddress: long }));
    const line = v.zoneSnippet.split('\n').find((l) => l.startsWith('_smtp._tls.'))!;
    const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    expect(strings.map((s) => s.length)).toEqual([255, v.tlsRptTxt!.length - 255]);
    expect(strings.join('')).toBe(v.tlsRptTxt);
  });

  it('quoteTxt escapes quotes and backslashes', () => {
    expect(quoteTxt('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});

describe('record placement and advisories', () => {
  it('STS-TXT-1: the TXT is placed at _mta-sts.<policy-domain> and the policy at https://mta-sts.<domain> (STS-POL-1)', () => {
    const v = ok(gen({ domain: 'sub.example.com', mx: ['mx.example.com'] }));
    expect(v.zoneSnippet).toContain('\n_mta-sts.sub.example.com. 3600 IN TXT ');
    expect(v.policyUrl).toBe('https://mta-sts.sub.example.com/.well-known/mta-sts.txt');
  });

  it('RPT-TXT-6: the _smtp._tls line gets a long TTL (at least one day) while _mta-sts keeps the short one', () => {
    const v = ok(gen({ txtTtl: 300, reportAddress: 'tlsrpt@sts.example.net' }));
    expect(v.zoneSnippet).toContain('_mta-sts.example.com. 300 IN TXT');
    expect(v.zoneSnippet).toContain('_smtp._tls.example.com. 86400 IN TXT');
  });

  it('RPT-TXT-5: a single rua is generated', () => {
    expect(ok(gen({ reportAddress: 'tlsrpt@sts.example.net' })).tlsRptTxt).toBe('v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net');
  });

  it('CHK-6: a wildcard under the customer zone is generated with a warning', () => {
    const r = gen({ mx: ['*.example.com', '*.mx.example.net'] });
    expect(ok(r).policy.mx).toEqual(['*.example.com', '*.mx.example.net']);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MX_WILDCARD_OWN_ZONE', severity: 'warn', rule: 'CHK-6' })]);
  });
});
