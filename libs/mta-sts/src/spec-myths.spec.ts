// Spec notes §8.2: "myths the checker must not enforce". Each of these inputs must pass.
import { describe, expect, it } from 'vitest';
import { generateRecords } from './record-generator.js';
import { parsePolicy } from './policy-parser.js';
import { parseStsTxt } from './sts-txt-parser.js';

const lf = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('myths that must not be enforced', () => {
  it.each([1, 300, 86399, 86400, 604799])('STS-POL-14 myth: no max_age minimum (max_age %i is valid, no error)', (maxAge) => {
    const r = parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: mx.example.com', `max_age: ${maxAge}`));
    expect(r.value?.maxAge).toBe(maxAge);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('STS-POL-16 myth: version need not be the first line', () => {
    const r = parsePolicy(lf('mode: testing', 'mx: mx.example.com', 'version: STSv1', 'max_age: 86400'));
    expect(r.value?.version).toBe('STSv1');
    expect(r.findings).toEqual([]);
  });

  it('STS-POL-17 myth: no 1024-byte line limit', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', `x-note: ${'n'.repeat(4000)}`, 'max_age: 86400'));
    expect(r.value?.extensions['x-note']).toHaveLength(4000);
    expect(r.findings).toEqual([]);
  });

  it('STS-POL-11 myth: mx is not required with mode none', () => {
    expect(parsePolicy(lf('version: STSv1', 'mode: none', 'max_age: 86400')).findings).toEqual([]);
    const g = generateRecords({ domain: 'example.com', mx: [], mode: 'none', now: new Date('2026-11-23T00:00:00Z') });
    expect(g.ok).toBe(true);
  });

  it('STS-POL-12 myth: wildcards are not forbidden', () => {
    expect(parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: *.mail.protection.example', 'max_age: 604800')).findings).toEqual([]);
    const g = generateRecords({ domain: 'example.com', mx: ['*.mail.protection.example'], stage: 'enforce-steady', now: new Date('2026-11-23T00:00:00Z') });
    expect(g.ok).toBe(true);
  });

  it('STS-TXT-4 myth: an id need not end in "Z"', () => {
    expect(parseStsTxt('v=STSv1; id=20261123090000').findings).toEqual([]);
    expect(parseStsTxt('v=STSv1; id=abc').findings).toEqual([]);
  });

  it('STS-POL-6 myth: CRLF-only line endings are not required (LF-only parses)', () => {
    expect(parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 86400')).findings).toEqual([]);
  });
});
