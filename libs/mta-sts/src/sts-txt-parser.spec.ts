import { describe, expect, it } from 'vitest';
import { joinTxtStrings } from './txt-fields.js';
import { parseStsTxt, selectStsTxt, serializeStsTxt } from './sts-txt-parser.js';
import type { Finding } from './types.js';

const errorRules = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map((f) => f.rule);
const details = (findings: Finding[]) => findings.map((f) => f.detail ?? f.code);

describe('parseStsTxt', () => {
  it('STS-TXT-2: a plain record parses', () => {
    expect(parseStsTxt('v=STSv1; id=20160831085700Z')).toEqual({
      value: { version: 'STSv1', id: '20160831085700Z', extensions: {} },
      findings: [],
    });
  });

  it('STS-TXT-2: whitespace around ";" and one trailing ";" are allowed', () => {
    expect(parseStsTxt('v=STSv1;id=1').value?.id).toBe('1');
    expect(parseStsTxt('v=STSv1;\tid=1 ;').value?.id).toBe('1');
    expect(parseStsTxt('v=STSv1; id=1;').findings).toEqual([]);
  });

  it('STS-TXT-2: "V=STSv1; id=1" (upper-case key) is an error', () => {
    const r = parseStsTxt('V=STSv1; id=1');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'TXT_INVALID', severity: 'error', rule: 'STS-TXT-2', detail: 'TXT_VERSION' }),
    ]);
    expect(r.findings[0].message).toContain('"V=STSv1"');
  });

  it('STS-TXT-2: "v =STSv1; id=1" (space before "=") is an error', () => {
    const r = parseStsTxt('v =STSv1; id=1');
    expect(r.value).toBeNull();
    expect(errorRules(r.findings)).toEqual(['STS-TXT-2']);
  });

  it('STS-TXT-2: "v=STSv1; id=a;;" (two trailing ";") is an error', () => {
    const r = parseStsTxt('v=STSv1; id=a;;');
    expect(r.value).toBeNull();
    expect(details(r.findings)).toEqual(['TXT_EMPTY_FIELD']);
    expect(r.findings[0].code).toBe('TXT_INVALID');
  });

  it('STS-TXT-2: tokens are case-sensitive: "ID=1" is an extension, so id is missing', () => {
    const r = parseStsTxt('v=STSv1; ID=1');
    expect(r.value).toBeNull();
    expect(details(r.findings)).toEqual(['TXT_ID_MISSING']);
  });

  it('STS-TXT-2: a field without "=" is an error', () => {
    expect(details(parseStsTxt('v=STSv1; id=1; junk').findings)).toEqual(['TXT_FIELD_SYNTAX']);
  });

  it('STS-TXT-2: non-ASCII characters are an error', () => {
    const r = parseStsTxt('v=STSv1; id=1; ext=é');
    expect(r.value).toBeNull();
    expect(details(r.findings)).toContain('TXT_NOT_ASCII');
  });

  it('STS-TXT-3: version must be the first field ("id=1; v=STSv1;")', () => {
    const r = parseStsTxt('id=1; v=STSv1;');
    expect(r.value).toBeNull();
    expect(errorRules(r.findings)).toContain('STS-TXT-3');
    expect(r.findings.every((f) => f.code === 'TXT_INVALID')).toBe(true);
  });

  it('STS-TXT-3: "v=STSv12; id=1" is not version STSv1', () => {
    const r = parseStsTxt('v=STSv12; id=1');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', rule: 'STS-TXT-3', detail: 'TXT_VERSION' })]);
  });

  it('STS-TXT-3: other fields come in any order', () => {
    expect(parseStsTxt('v=STSv1; ext=x; id=abc').value).toEqual({ version: 'STSv1', id: 'abc', extensions: { ext: 'x' } });
  });

  it('STS-TXT-4: id "20160831085700Z" is valid (letters and digits)', () => {
    expect(parseStsTxt('v=STSv1; id=20160831085700Z').value?.id).toBe('20160831085700Z');
  });

  it.each(['2026-01-01T00:00:00Z', '2026.01.01', 'abc_1', 'a'.repeat(33)])('STS-TXT-4: id %s is an error', (id) => {
    const r = parseStsTxt(`v=STSv1; id=${id}`);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', severity: 'error', rule: 'STS-TXT-4', detail: 'TXT_ID_INVALID' })]);
    expect(r.findings[0].message).toContain(JSON.stringify(id));
  });

  it('STS-TXT-4: a 32-char id is the longest valid one', () => {
    expect(parseStsTxt(`v=STSv1; id=${'A1'.repeat(16)}`).value?.id).toBe('A1'.repeat(16));
  });

  it('STS-TXT-4: id is required', () => {
    const r = parseStsTxt('v=STSv1; ext=1');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', rule: 'STS-TXT-4', detail: 'TXT_ID_MISSING' })]);
  });

  it('STS-TXT-4: an empty id is an error', () => {
    expect(details(parseStsTxt('v=STSv1; id=').findings)).toEqual(['TXT_ID_INVALID']);
  });

  it('STS-TXT-5: ids are kept verbatim as opaque strings (leading zeros stay)', () => {
    expect(parseStsTxt('v=STSv1; id=0010').value?.id).toBe('0010');
  });

  it('STS-TXT-6: a repeated id uses the first one and warns', () => {
    const r = parseStsTxt('v=STSv1; id=first; id=second');
    expect(r.value?.id).toBe('first');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_DUPLICATE_ID', severity: 'warn', rule: 'STS-TXT-6' })]);
    expect(r.findings[0].message).toContain('"second"');
  });

  it('STS-TXT-8: a multi-string record is joined with no separator: "v=STSv1; id=20" "26" → id 2026', () => {
    expect(parseStsTxt(joinTxtStrings(['v=STSv1; id=20', '26'])).value?.id).toBe('2026');
  });

  it('STS-TXT-9: an unknown extension is ignored ("v=STSv1; id=1; ext=x")', () => {
    expect(parseStsTxt('v=STSv1; id=1; ext=x')).toEqual({ value: { version: 'STSv1', id: '1', extensions: { ext: 'x' } }, findings: [] });
  });

  it.each(['ext=a b', 'ext==', 'ext='])('STS-TXT-9: extension "%s" is an error', (field) => {
    const r = parseStsTxt(`v=STSv1; id=1; ${field}`);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', rule: 'STS-TXT-9', detail: 'TXT_EXTENSION_INVALID' })]);
  });

  it('STS-TXT-9: extension names allow "_", "-", "." after the first char, up to 32 chars', () => {
    expect(parseStsTxt(`v=STSv1; id=1; a_b-c.d=1; ${'x'.repeat(32)}=2`).value?.extensions).toEqual({ 'a_b-c.d': '1', ['x'.repeat(32)]: '2' });
    expect(details(parseStsTxt(`v=STSv1; id=1; ${'x'.repeat(33)}=2`).findings)).toEqual(['TXT_FIELD_NAME']);
    expect(details(parseStsTxt('v=STSv1; id=1; _x=2').findings)).toEqual(['TXT_FIELD_NAME']);
  });

  it('STS-TXT-10: "v=STSv1 ;" is accepted with a warning', () => {
    const r = parseStsTxt('v=STSv1 ; id=1');
    expect(r.value?.id).toBe('1');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_SPACE_BEFORE_SEMICOLON', severity: 'warn', rule: 'STS-TXT-10' })]);
  });

  it('reports every error, not only the first', () => {
    const r = parseStsTxt('V=STSv1; id=abc_1; ext=a b;;');
    expect(details(r.findings)).toEqual(['TXT_VERSION', 'TXT_EMPTY_FIELD', 'TXT_ID_INVALID', 'TXT_EXTENSION_INVALID']);
  });
});

describe('selectStsTxt', () => {
  it('STS-TXT-7: unrelated TXT records at the name are harmless', () => {
    const r = selectStsTxt(['google-site-verification=abc', 'v=STSv1; id=42', 'v=spf1 -all']);
    expect(r).toEqual({ value: { version: 'STSv1', id: '42', extensions: {} }, findings: [] });
  });

  it('STS-TXT-7: no record → TXT_INVALID', () => {
    const r = selectStsTxt([]);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', severity: 'error', rule: 'STS-TXT-7', detail: 'TXT_MISSING' })]);
  });

  it('STS-TXT-7: two STSv1 records → TXT_INVALID, even when both are valid', () => {
    const r = selectStsTxt(['v=STSv1; id=1', 'v=STSv1; id=2']);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', rule: 'STS-TXT-7', detail: 'TXT_SEVERAL' })]);
    expect(r.findings[0].message).toContain('"v=STSv1; id=2"');
  });

  it('STS-TXT-7: a record without the literal prefix is dropped and named; the other one is used', () => {
    const r = selectStsTxt(['V=STSv1; id=1', 'v=STSv1; id=2']);
    expect(r.value?.id).toBe('2');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_IGNORED_RECORD', severity: 'warn', rule: 'STS-TXT-7' })]);
  });

  it('STS-TXT-7: "v=STSv1" alone (no ";") does not pass the filter → no policy', () => {
    const r = selectStsTxt(['v=STSv1']);
    expect(r.value).toBeNull();
    expect(r.findings.map((f) => f.code)).toEqual(['TXT_IGNORED_RECORD', 'TXT_INVALID']);
  });

  it('STS-TXT-7: the one record left is invalid → its errors, value null', () => {
    const r = selectStsTxt(['v=STSv1; id=2026.01.01']);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TXT_INVALID', rule: 'STS-TXT-4' })]);
  });

  it('STS-TXT-10: "v=STSv1 ;" passes our filter with a warning', () => {
    const r = selectStsTxt(['v=STSv1 ; id=7']);
    expect(r.value?.id).toBe('7');
    expect(r.findings.map((f) => f.code)).toEqual(['TXT_SPACE_BEFORE_SEMICOLON']);
  });
});

describe('serializeStsTxt', () => {
  it('STS-TXT-10: generates exactly "v=STSv1; id=<id>"', () => {
    expect(serializeStsTxt('20261123100000')).toBe('v=STSv1; id=20261123100000');
    expect(parseStsTxt(serializeStsTxt('20261123100000')).findings).toEqual([]);
  });
});
