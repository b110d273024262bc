import { describe, expect, it } from 'vitest';
import { parsePolicy, parsePolicyLines } from './policy-parser.js';
import { policiesEqual, serializePolicy } from './policy-serializer.js';
import type { StsPolicy } from './types.js';

const policy = (over: Partial<StsPolicy> = {}): StsPolicy => ({
  version: 'STSv1',
  mode: 'enforce',
  mx: ['mx1.example.com', '*.example.net'],
  maxAge: 604800,
  extensions: {},
  ...over,
});

describe('serializePolicy', () => {
  it('STS-POL-18: version, mode, one mx per line, max_age; CRLF; no trailing whitespace', () => {
    expect(serializePolicy(policy())).toBe('version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n');
  });

  it('STS-POL-18: mode none with no mx', () => {
    expect(serializePolicy(policy({ mode: 'none', mx: [], maxAge: 86400 }))).toBe('version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n');
  });

  it('STS-POL-18: extensions follow max_age, and the output parses back to the same policy', () => {
    const p = policy({ extensions: { note: 'hello' } });
    const body = serializePolicy(p);
    expect(body.endsWith('max_age: 604800\r\nnote: hello\r\n')).toBe(true);
    expect(parsePolicy(body)).toEqual({ value: p, findings: [] });
  });
});

describe('policiesEqual', () => {
  it('ROLL-6: mx compared as a case-insensitive set, in any order', () => {
    expect(policiesEqual(policy(), policy({ mx: ['*.EXAMPLE.net', 'MX1.example.com'] }))).toBe(true);
  });

  it('ROLL-6: a report policy-string equals the served file', () => {
    const served = parsePolicy('version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n').value!;
    const reported = parsePolicyLines(['version:STSv1', 'mode: testing', 'mx: mx2.example.com', 'mx: mx1.example.com', 'max_age: 86400']).value!;
    expect(policiesEqual(served, reported)).toBe(true);
  });

  it('ROLL-6: extensions are ignored; duplicate mx lines do not matter', () => {
    expect(policiesEqual(policy({ extensions: { a: '1' } }), policy({ mx: ['mx1.example.com', '*.example.net', 'mx1.example.com'] }))).toBe(true);
  });

  it.each([
    ['mode', { mode: 'testing' as const }],
    ['max_age', { maxAge: 604801 }],
    ['an extra mx', { mx: ['mx1.example.com', '*.example.net', 'mx2.example.com'] }],
    ['a missing mx', { mx: ['mx1.example.com'] }],
    ['another mx', { mx: ['mx1.example.com', '*.example.org'] }],
  ])('ROLL-6: a different %s is not equal', (_what, over) => {
    expect(policiesEqual(policy(), policy(over))).toBe(false);
  });
});
