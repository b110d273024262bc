import { describe, expect, it } from 'vitest';
import { MAX_AGE_LIMIT, parsePolicy, parsePolicyLines } from './policy-parser.js';
import type { Finding } from './types.js';

const details = (findings: Finding[]) => findings.map((f) => f.detail ?? f.code);
const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const lf = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

const RFC_EXAMPLE = crlf('version: STSv1', 'mode: enforce', 'mx: mail.example.com', 'mx: *.example.net', 'mx: backupmx.example.com', 'max_age: 604800');

describe('parsePolicy (strict)', () => {
  it('STS-POL-6: the RFC 8461 example (CRLF) parses', () => {
    expect(parsePolicy(RFC_EXAMPLE)).toEqual({
      value: {
        version: 'STSv1',
        mode: 'enforce',
        mx: ['mail.example.com', '*.example.net', 'backupmx.example.com'],
        maxAge: 604800,
        extensions: {},
      },
      findings: [],
    });
  });

  it('STS-POL-6: LF line endings parse the same as CRLF (errata 6253)', () => {
    expect(parsePolicy(RFC_EXAMPLE.replace(/\r\n/g, '\n'))).toEqual(parsePolicy(RFC_EXAMPLE));
  });

  it('STS-POL-6: mixed LF and CRLF lines parse', () => {
    expect(parsePolicy('version: STSv1\nmode: testing\r\nmx: mx.example.com\nmax_age: 86400\r\n').value?.mode).toBe('testing');
  });

  it('STS-POL-6: no final line terminator is fine', () => {
    expect(parsePolicy('version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400').findings).toEqual([]);
  });

  it('STS-POL-6: no space after ":" and trailing whitespace on a line are allowed', () => {
    const r = parsePolicy('version:STSv1\nmode:\ttesting  \nmx: mx.example.com \t\nmax_age: 86400 \n');
    expect(r.value).toEqual({ version: 'STSv1', mode: 'testing', mx: ['mx.example.com'], maxAge: 86400, extensions: {} });
    expect(r.findings).toEqual([]);
  });

  it('STS-POL-6: a bare CR does not end a line → error', () => {
    const r = parsePolicy('version: STSv1\rmode: testing\rmx: mx.example.com\rmax_age: 86400\r');
    expect(r.value).toBeNull();
    expect(r.findings[0]).toEqual(expect.objectContaining({ code: 'POLICY_INVALID', severity: 'error', rule: 'STS-POL-6', detail: 'POLICY_BARE_CR' }));
  });

  it('STS-POL-6: a line without ":" is an error', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode testing', 'mx: mx.example.com', 'max_age: 86400'));
    expect(details(r.findings)).toEqual(['POLICY_LINE_SYNTAX', 'POLICY_MODE_MISSING']);
  });

  it('STS-POL-7: a blank line after version is an error ("version: STSv1\\r\\n\\r\\nmode: testing…")', () => {
    const r = parsePolicy('version: STSv1\r\n\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\n');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-7', detail: 'POLICY_BLANK_LINE' })]);
    expect(r.findings[0].message).toContain('Line 2');
  });

  it('STS-POL-7: a doubled final newline counts as a blank line', () => {
    expect(details(parsePolicy(`${RFC_EXAMPLE}\r\n`).findings)).toEqual(['POLICY_BLANK_LINE']);
    expect(details(parsePolicy(lf('version: STSv1', 'mode: none', 'max_age: 86400', '')).findings)).toEqual(['POLICY_BLANK_LINE']);
  });

  it('STS-POL-7: a UTF-8 BOM makes the body invalid', () => {
    const r = parsePolicy(`\uFEFF${RFC_EXAMPLE}`);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-7', detail: 'POLICY_BOM' })]);
  });

  it('STS-POL-7: leading whitespace on a line makes the body invalid', () => {
    const r = parsePolicy(lf('version: STSv1', ' mode: testing', 'mx: mx.example.com', 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(details(r.findings)).toEqual(['POLICY_LEADING_SPACE', 'POLICY_MODE_MISSING']);
  });

  it('STS-POL-8: "Mode: Enforce" is an unknown extension, so mode is missing', () => {
    const r = parsePolicy(lf('version: STSv1', 'Mode: Enforce', 'mx: mx.example.com', 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'POLICY_KEY_CASE', severity: 'warn', rule: 'STS-POL-8' }),
      expect.objectContaining({ code: 'POLICY_INVALID', severity: 'error', rule: 'STS-POL-9', detail: 'POLICY_MODE_MISSING' }),
    ]);
  });

  it('STS-POL-8: "mode: Enforce" and "version: stsv1" are invalid values', () => {
    const r = parsePolicy(lf('version: stsv1', 'mode: Enforce', 'mx: mx.example.com', 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(details(r.findings)).toEqual(['POLICY_VERSION_INVALID', 'POLICY_MODE_INVALID']);
    expect(r.findings[1].message).toContain('"Enforce"');
  });

  it.each([
    ['version', lf('mode: testing', 'mx: mx.example.com', 'max_age: 86400'), 'POLICY_VERSION_MISSING'],
    ['mode', lf('version: STSv1', 'mx: mx.example.com', 'max_age: 86400'), 'POLICY_MODE_MISSING'],
    ['max_age', lf('version: STSv1', 'mode: testing', 'mx: mx.example.com'), 'POLICY_MAX_AGE_MISSING'],
  ])('STS-POL-9: missing %s → error (no default, a missing mode is not "none")', (_key, body, detail) => {
    const r = parsePolicy(body);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-9', detail })]);
  });

  it('STS-POL-9: an empty body is an error', () => {
    expect(parsePolicy('')).toEqual({ value: null, findings: [expect.objectContaining({ code: 'POLICY_INVALID', detail: 'POLICY_EMPTY' })] });
  });

  it('STS-POL-10: "mode: enforce" then "mode: none" → enforce, plus a warning', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: enforce', 'mode: none', 'mx: mx.example.com', 'max_age: 86400'));
    expect(r.value?.mode).toBe('enforce');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_DUPLICATE_KEY', severity: 'warn', rule: 'STS-POL-10' })]);
    expect(r.findings[0].message).toContain('"none"');
  });

  it('STS-POL-10: a duplicate max_age keeps the first', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'max_age: 86400', 'mx: mx.example.com', 'max_age: 604800'));
    expect(r.value?.maxAge).toBe(86400);
    expect(r.findings.map((f) => f.code)).toEqual(['POLICY_DUPLICATE_KEY']);
  });

  it('STS-POL-11: mx may repeat, one pattern per line, order kept', () => {
    expect(parsePolicy(RFC_EXAMPLE).value?.mx).toEqual(['mail.example.com', '*.example.net', 'backupmx.example.com']);
  });

  it('STS-POL-11: "mode: none" with no mx is valid', () => {
    expect(parsePolicy(lf('version: STSv1', 'mode: none', 'max_age: 86400'))).toEqual({
      value: { version: 'STSv1', mode: 'none', mx: [], maxAge: 86400, extensions: {} },
      findings: [],
    });
  });

  it.each(['testing', 'enforce'])('STS-POL-11: mode %s with no mx is an error', (mode) => {
    const r = parsePolicy(lf('version: STSv1', `mode: ${mode}`, 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-11', detail: 'POLICY_MX_MISSING' })]);
  });

  it.each([
    ['*.*.example', 'MX_WILDCARD_POSITION'],
    ['**.example', 'MX_WILDCARD_POSITION'],
    ['mail.*.example', 'MX_WILDCARD_POSITION'],
    ['mail.example.com.', 'MX_TRAILING_DOT'],
    ['møx.example', 'MX_U_LABEL'],
    ['mx_1.example', 'MX_LABEL_INVALID'],
    ['-mx.example', 'MX_LABEL_INVALID'],
    ['mx..example', 'MX_LABEL_INVALID'],
    ['', 'MX_EMPTY'],
  ])('STS-POL-12: mx "%s" is an error', (pattern, detail) => {
    const r = parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: good.example', `mx: ${pattern}`, 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', severity: 'error', rule: 'STS-POL-12', detail })]);
  });

  it('STS-POL-12: a U-label error names the A-label to use', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: møx.example', 'max_age: 86400'));
    expect(r.findings[0].message).toContain('"xn--mx-lka.example"');
  });

  it('STS-POL-12: A-labels and "*." as the whole first label are valid', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: xn--mx-lka.example', 'mx: *.mail.example.com', 'max_age: 86400'));
    expect(r.value?.mx).toEqual(['xn--mx-lka.example', '*.mail.example.com']);
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['86399', 86399],
    [String(MAX_AGE_LIMIT), 31557600],
    ['0000086400', 86400],
  ])('STS-POL-14: max_age %s is accepted', (text, value) => {
    expect(parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', `max_age: ${text}`)).value?.maxAge).toBe(value);
  });

  it('STS-POL-14: max_age 31557601 is an error', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 31557601'));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-14', detail: 'POLICY_MAX_AGE_TOO_LARGE' })]);
    expect(r.findings[0].message).toContain('31557601');
  });

  it.each(['12345678901', 'xxx', '-1', '1.5', '+5', ''])('STS-POL-14: max_age "%s" is an error', (text) => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', `max_age: ${text}`));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-14', detail: 'POLICY_MAX_AGE_INVALID' })]);
  });

  it('STS-POL-14: max_age 0 is legal with a MAX_AGE_ZERO warning', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 0'));
    expect(r.value?.maxAge).toBe(0);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MAX_AGE_ZERO', severity: 'warn', rule: 'STS-POL-14' })]);
  });

  it('STS-POL-14: 1–86399 is never rejected and not warned about by the parser', () => {
    expect(parsePolicy(lf('version: STSv1', 'mode: enforce', 'mx: mx.example.com', 'max_age: 300')).findings).toEqual([]);
  });

  it('STS-POL-15: unknown keys are ignored; the value may hold UTF-8 and inner spaces', () => {
    const r = parsePolicy(lf('version: STSv1', 'mode: testing', 'comment: hällo wörld', 'mx: mx.example.com', 'max_age: 86400'));
    expect(r.value?.extensions).toEqual({ comment: 'hällo wörld' });
    expect(r.findings).toEqual([]);
  });

  it('STS-POL-15: an empty extension value or an invalid key name is an error', () => {
    expect(details(parsePolicy(lf('version: STSv1', 'mode: none', 'ext:', 'max_age: 86400')).findings)).toEqual(['POLICY_EXTENSION_INVALID']);
    expect(details(parsePolicy(lf('version: STSv1', 'mode: none', '_ext: 1', 'max_age: 86400')).findings)).toEqual(['POLICY_LINE_SYNTAX']);
    expect(details(parsePolicy(lf('version: STSv1', 'mode: none', 'bad key: 1', 'max_age: 86400')).findings)).toEqual(['POLICY_LINE_SYNTAX']);
  });

  it('STS-POL-16: field order is free (version last)', () => {
    expect(parsePolicy(lf('max_age: 86400', 'mx: mx.example.com', 'mode: testing', 'version: STSv1'))).toEqual({
      value: { version: 'STSv1', mode: 'testing', mx: ['mx.example.com'], maxAge: 86400, extensions: {} },
      findings: [],
    });
  });

  it('STS-POL-17: a body over 64 KiB is an error; a long line is not', () => {
    const longValue = 'x'.repeat(2000);
    expect(parsePolicy(lf('version: STSv1', 'mode: none', `note: ${longValue}`, 'max_age: 86400')).findings).toEqual([]);
    const padding = Array.from({ length: 700 }, (_, i) => `ext${i}: ${'y'.repeat(100)}`);
    const r = parsePolicy(lf('version: STSv1', 'mode: none', ...padding, 'max_age: 86400'));
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', rule: 'STS-POL-17', detail: 'POLICY_TOO_LARGE' })]);
  });

  it('reports every error, not only the first', () => {
    const r = parsePolicy(`\uFEFFversion: STSv2\n\nMode: enforce\nmx: *.*.example\nmax_age: -1\n`);
    expect(details(r.findings)).toEqual([
      'POLICY_BOM',
      'POLICY_BLANK_LINE',
      'POLICY_KEY_CASE',
      'MX_WILDCARD_POSITION',
      'POLICY_VERSION_INVALID',
      'POLICY_MODE_MISSING',
      'POLICY_MAX_AGE_INVALID',
    ]);
  });
});

describe('parsePolicyLines (lenient, report policy-string)', () => {
  it('RPT-DEV-15: "version:STSv1" (no space) and padded lines parse', () => {
    expect(parsePolicyLines(['version:STSv1', ' mode :enforce', 'mx:  mx.server.com ', 'max_age:86400'])).toEqual({
      value: { version: 'STSv1', mode: 'enforce', mx: ['mx.server.com'], maxAge: 86400, extensions: {} },
      findings: [],
    });
  });

  it('RPT-DEV-15: lines split on the first ":" only', () => {
    expect(parsePolicyLines(['version: STSv1', 'mode: none', 'max_age: 86400', 'url: https://x.example/a']).value?.extensions).toEqual({
      url: 'https://x.example/a',
    });
  });

  it('RPT-DEV-15: a whole policy sent as one string is split into lines; blank lines are skipped', () => {
    expect(parsePolicyLines(['version: STSv1\r\nmode: testing\n\nmx: mx.example.com\nmax_age: 86400\n']).value).toEqual({
      version: 'STSv1',
      mode: 'testing',
      mx: ['mx.example.com'],
      maxAge: 86400,
      extensions: {},
    });
  });

  it('STS-POL-9: a policy-string without mode is still invalid', () => {
    const r = parsePolicyLines(['version: STSv1', 'mx: mx.example.com', 'max_age: 86400']);
    expect(r.value).toBeNull();
    expect(details(r.findings)).toEqual(['POLICY_MODE_MISSING']);
  });
});
