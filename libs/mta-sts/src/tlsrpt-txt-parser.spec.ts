import { describe, expect, it } from 'vitest';
import { joinTxtStrings } from './txt-fields.js';
import { parseTlsRptTxt, selectTlsRptTxt, serializeTlsRptTxt } from './tlsrpt-txt-parser.js';
import type { Finding } from './types.js';

const details = (findings: Finding[]) => findings.map((f) => f.detail ?? f.code);

describe('parseTlsRptTxt', () => {
  it('RPT-TXT-2: "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/v1" parses', () => {
    const r = parseTlsRptTxt('v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/v1');
    expect(r.value).toEqual({ version: 'TLSRPTv1', rua: ['mailto:tlsrpt@example.com', 'https://r.example.net/v1'], extensions: {} });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_SEVERAL_URIS', severity: 'info', rule: 'RPT-TXT-5' })]);
  });

  it('RPT-TXT-2: whitespace is allowed around the commas of the URI list', () => {
    expect(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.net/v1').value?.rua).toEqual([
      'mailto:a@example.com',
      'https://r.example.net/v1',
    ]);
  });

  it('RPT-TXT-2: rua is required', () => {
    const r = parseTlsRptTxt('v=TLSRPTv1; ext=1');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', severity: 'error', rule: 'RPT-TXT-2', detail: 'TLSRPT_RUA_MISSING' })]);
  });

  it('RPT-TXT-2: an http: rua is an error', () => {
    const r = parseTlsRptTxt('v=TLSRPTv1; rua=http://r.example.net/v1');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', rule: 'RPT-TXT-2', detail: 'TLSRPT_URI_SCHEME' })]);
    expect(r.findings[0].message).toContain('"http://r.example.net/v1"');
  });

  it('RPT-TXT-2: an empty URI (empty rua or a stray comma) is an error', () => {
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=').findings)).toEqual(['TLSRPT_URI_EMPTY']);
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com,').findings)).toEqual(['TLSRPT_URI_EMPTY']);
  });

  it('RPT-TXT-2: malformed mailto: and https: URIs are errors', () => {
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:nobody').findings)).toEqual(['TLSRPT_URI_INVALID']);
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=https:/nohost').findings)).toEqual(['TLSRPT_URI_INVALID']);
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a b@example.com').findings)).toEqual(['TLSRPT_URI_INVALID']);
  });

  it('RPT-TXT-3: "rua=mailto:a@b.example!10m" (DMARC size hint) is an error', () => {
    const r = parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@b.example!10m');
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', rule: 'RPT-TXT-3', detail: 'TLSRPT_URI_SIZE_HINT' })]);
    expect(r.findings[0].message).toContain('"!10m"');
  });

  it('RPT-TXT-3: an unencoded "!" is an error, "%21" is fine', () => {
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a!b@example.com').findings)).toEqual(['TLSRPT_URI_UNENCODED']);
    expect(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a%21b@example.com').value?.rua).toEqual(['mailto:a%21b@example.com']);
  });

  it('RPT-TXT-4: two rua fields are accepted: union (deduplicated) plus a warning', () => {
    const r = parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com; rua=https://r.example.net/v1,mailto:a@example.com');
    expect(r.value?.rua).toEqual(['mailto:a@example.com', 'https://r.example.net/v1']);
    expect(r.findings.map((f) => [f.code, f.severity, f.rule])).toEqual([
      ['TLSRPT_SEVERAL_RUA', 'warn', 'RPT-TXT-4'],
      ['TLSRPT_SEVERAL_URIS', 'info', 'RPT-TXT-5'],
    ]);
  });

  it('RPT-TXT-4: unknown extensions are ignored; invalid extension values are errors', () => {
    expect(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com; ext=x').value?.extensions).toEqual({ ext: 'x' });
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com; ext=a b').findings)).toEqual(['TLSRPT_EXTENSION_INVALID']);
  });

  it('RPT-TXT-4: at most one trailing ";"', () => {
    expect(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com;').findings).toEqual([]);
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@example.com;;').findings)).toEqual(['TLSRPT_EMPTY_FIELD']);
  });

  it('RPT-TXT-4: tokens are case-sensitive ("V=TLSRPTv1", "RUA=")', () => {
    const upper = parseTlsRptTxt('V=TLSRPTv1; rua=mailto:a@example.com');
    expect(upper.value).toBeNull();
    expect(upper.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', rule: 'RPT-TXT-1', detail: 'TLSRPT_VERSION' })]);
    expect(details(parseTlsRptTxt('v=TLSRPTv1; RUA=mailto:a@example.com').findings)).toEqual(['TLSRPT_RUA_MISSING']);
  });

  it('RPT-TXT-1: a multi-string record is joined with no separator', () => {
    expect(parseTlsRptTxt(joinTxtStrings(['v=TLSRPTv1; rua=mailto:tls', 'rpt@example.com'])).value?.rua).toEqual(['mailto:tlsrpt@example.com']);
  });

  it('reports every bad URI', () => {
    expect(details(parseTlsRptTxt('v=TLSRPTv1; rua=mailto:a@b.example!10m,http://x.example,ftp://y.example').findings)).toEqual([
      'TLSRPT_URI_SIZE_HINT',
      'TLSRPT_URI_SCHEME',
      'TLSRPT_URI_SCHEME',
    ]);
  });
});

describe('selectTlsRptTxt', () => {
  it('RPT-TXT-1: one record among unrelated ones is used', () => {
    expect(selectTlsRptTxt(['v=spf1 -all', 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'])).toEqual({
      value: { version: 'TLSRPTv1', rua: ['mailto:tlsrpt@example.com'], extensions: {} },
      findings: [],
    });
  });

  it('RPT-TXT-1: none → TLSRPT_MISSING', () => {
    const r = selectTlsRptTxt(['v=spf1 -all']);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', severity: 'error', rule: 'RPT-TXT-1', detail: 'TLSRPT_NONE' })]);
  });

  it('RPT-TXT-1: two TLSRPTv1 records → TLSRPT_MISSING', () => {
    const r = selectTlsRptTxt(['v=TLSRPTv1; rua=mailto:a@example.com', 'v=TLSRPTv1; rua=mailto:b@example.com']);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', detail: 'TLSRPT_SEVERAL' })]);
  });

  it('RPT-TXT-1: a record without the literal prefix is dropped and named', () => {
    const r = selectTlsRptTxt(['v=tlsrptv1; rua=mailto:a@example.com']);
    expect(r.value).toBeNull();
    expect(r.findings.map((f) => f.code)).toEqual(['TLSRPT_IGNORED_RECORD', 'TLSRPT_MISSING']);
  });

  it('RPT-TXT-1: the only candidate is invalid → TLSRPT_MISSING with its reasons', () => {
    const r = selectTlsRptTxt(['v=TLSRPTv1; rua=http://r.example.net']);
    expect(r.value).toBeNull();
    expect(r.findings).toEqual([expect.objectContaining({ code: 'TLSRPT_MISSING', detail: 'TLSRPT_URI_SCHEME' })]);
  });

  it('RPT-TXT-1: "v=TLSRPTv1 ;" is kept with a warning, as STS-TXT-10 does for MTA-STS', () => {
    const r = selectTlsRptTxt(['v=TLSRPTv1 ; rua=mailto:a@example.com']);
    expect(r.value?.rua).toEqual(['mailto:a@example.com']);
    expect(r.findings.map((f) => f.code)).toEqual(['TLSRPT_SPACE_BEFORE_SEMICOLON']);
  });
});

describe('serializeTlsRptTxt', () => {
  it('RPT-TXT-2: "v=TLSRPTv1; rua=..." round-trips through the parser', () => {
    const txt = serializeTlsRptTxt(['mailto:tlsrpt@sts.example.net']);
    expect(txt).toBe('v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net');
    expect(parseTlsRptTxt(txt)).toEqual({ value: { version: 'TLSRPTv1', rua: ['mailto:tlsrpt@sts.example.net'], extensions: {} }, findings: [] });
  });
});
