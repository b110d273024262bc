import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReportText, reportDedupeKey, type ParseReportResult } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/reports/', import.meta.url));

function parseFixture(name: string) {
  const result: ParseReportResult = parseReportText(readFileSync(join(FIXTURES, name), 'utf8'));
  if (!result.ok) throw new Error(`${name} was rejected: ${result.code} ${result.reason}`);
  const { report, warnings } = result;
  return {
    report,
    warnings,
    codes: [...new Set(warnings.map((w) => w.code))].sort(),
    summary: {
      org: report.organizationName,
      domains: report.policies.map((p) => p.policyDomain),
      totals: report.policies.map((p) => [p.totalSuccessfulSessionCount, p.totalFailureSessionCount]),
      rows: report.policies.map((p) => p.failureDetails.length),
      rates: report.policies.map((p) => p.countsTowardRates),
    },
  };
}

describe('report fixtures (test/fixtures/reports)', () => {
  it('README: every fixture is described and every described fixture exists', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    const described = [...readme.matchAll(/^- `([^`]+\.json)`/gm)].map((m) => m[1]).sort();
    expect(described).toEqual(files);
    expect(files.length).toBe(18);
  });

  it('google-mx-array: Google mx-host array parses without warnings', () => {
    const f = parseFixture('google-mx-array.json');
    expect(f.summary).toEqual({ org: 'Google Inc.', domains: ['acme.test'], totals: [[37, 0]], rows: [0], rates: [true] });
    expect(f.report.policies[0]?.mxHost).toEqual(['*.mail.acme.test']);
    expect(f.codes).toEqual([]);
  });

  it('google-no-policy-found: RPT-JSON-5 no-policy-found without policy-string is clean', () => {
    const f = parseFixture('google-no-policy-found.json');
    expect(f.summary).toEqual({ org: 'Google Inc.', domains: ['meadow.example'], totals: [[61, 0]], rows: [0], rates: [true] });
    expect(f.report.policies[0]?.policyType).toBe('no-policy-found');
    expect(f.codes).toEqual([]);
  });

  it('google-aggregate-rows: rows differing only by sending IP stay separate', () => {
    const f = parseFixture('google-aggregate-rows.json');
    expect(f.summary).toEqual({ org: 'Google Inc.', domains: ['orchard.example'], totals: [[0, 5]], rows: [2], rates: [true] });
    expect(f.report.policies[0]?.failureDetails.map((d) => [d.sendingMtaIpParsed, d.receivingIpParsed, d.failedSessionCount])).toEqual([
      ['209.85.128.10', '203.0.113.40', 3],
      ['209.85.128.11', '203.0.113.40', 2],
    ]);
    expect(f.codes).toEqual([]);
  });

  it('microsoft-no-zone: RPT-DEV-1 zone-less Microsoft dates are read as UTC', () => {
    const f = parseFixture('microsoft-no-zone.json');
    expect(f.report.dateRange.start.toISOString()).toBe('2023-03-14T00:00:00.000Z');
    expect(f.report.dateRange.end.toISOString()).toBe('2023-03-14T23:59:59.000Z');
    expect(f.summary).toEqual({ org: 'Microsoft Corporation', domains: ['contoso-mail.test'], totals: [[12, 0]], rows: [0], rates: [true] });
    expect(f.warnings.map((w) => w.code)).toEqual(['DATETIME_NO_ZONE', 'DATETIME_NO_ZONE']);
  });

  it('tlsa-packed-string: RPT-DEV-14 sts + tlsa for one domain, TLSA string kept as sent', () => {
    const f = parseFixture('tlsa-packed-string.json');
    expect(f.summary).toEqual({ org: 'Microsoft Corporation', domains: ['river.test', 'river.test'], totals: [[9, 0], [9, 0]], rows: [0, 0], rates: [true, true] });
    expect(f.report.policies.map((p) => p.policyType)).toEqual(['sts', 'tlsa']);
    const tlsa = f.report.policies[1]?.policyString ?? [];
    expect(tlsa).toHaveLength(1);
    expect(JSON.parse(tlsa[0] ?? '')).toHaveLength(2);
    expect(f.codes).toEqual(['POLICY_STRING_PACKED_JSON']);
  });

  it('missing-ips: RPT-DEV-8 Microsoft fetch error rows without IPs or MX', () => {
    const f = parseFixture('missing-ips.json');
    expect(f.report.reportId).toBe('5550001112+');
    expect(f.summary).toEqual({ org: 'Microsoft Corporation', domains: ['quarry.example'], totals: [[0, 4]], rows: [1], rates: [true] });
    expect(f.report.policies[0]?.failureDetails[0]).toMatchObject({ resultType: 'sts-policy-fetch-error', sendingMtaIp: null, receivingIp: null, receivingMxHostname: null, failedSessionCount: 4 });
    expect(f.codes).toEqual(['FAILURE_FIELD_MISSING', 'POLICY_STRING_MISSING']);
    expect(f.warnings.filter((w) => w.code === 'FAILURE_FIELD_MISSING')).toHaveLength(3);
  });

  it('mailru-fetch-errors: RPT-DEV-12 failure rows add up above the total', () => {
    const f = parseFixture('mailru-fetch-errors.json');
    expect(f.summary).toEqual({ org: 'Mail.ru', domains: ['shop.example'], totals: [[0, 1]], rows: [2], rates: [true] });
    expect(f.report.policies[0]?.failureDetails.map((d) => d.failureReasonCode)).toEqual(['bad https response code: 404', 'bad https response code: 503']);
    expect(f.report.dateRange.end.toISOString()).toBe('2025-07-02T00:00:00.000Z');
    expect(f.codes).toEqual(['FAILURE_FIELD_MISSING', 'FAILURE_SUM_ABOVE_TOTAL', 'POLICY_STRING_MISSING']);
  });

  it('rfc8460-mx-string: RPT-DEV-4 the RFC example shape with mx-host as a string', () => {
    const f = parseFixture('rfc8460-mx-string.json');
    expect(f.summary).toEqual({ org: 'Relay-Corp', domains: ['harbor.example'], totals: [[812, 41]], rows: [3], rates: [true] });
    expect(f.report.policies[0]?.mxHost).toEqual(['*.mx.harbor.example']);
    const rows = f.report.policies[0]?.failureDetails ?? [];
    expect(rows.map((d) => d.sendingMtaIpParsed)).toEqual(['2001:db8:0:42::7', '2001:db8::43', '192.0.2.77']);
    expect(rows[1]?.additionalInformation).toBe('https://reports.relay-corp.example/info?id=7f3a9c1e#NoStartTLS');
    expect(rows[2]?.failureReasonCode).toBe('X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(f.codes).toEqual(['FAILURE_FIELD_MISSING', 'IP_NOT_CANONICAL', 'MX_HOST_STRING']);
  });

  it('no-contact-mx-prefix: RPT-DEV-5/10 null contact-info and "mx: " prefixed mx-host', () => {
    const f = parseFixture('no-contact-mx-prefix.json');
    expect(f.summary).toEqual({ org: 'selfhosted.test', domains: ['selfhosted.test'], totals: [[4, 0]], rows: [0], rates: [true] });
    expect(f.report.contactInfo).toBeNull();
    expect(f.report.reportId).toBe('987_654');
    expect(f.report.policies[0]?.mxHost).toEqual(['mx1.selfhosted.test']);
    expect(f.codes).toEqual(['CONTACT_INFO_MISSING', 'MX_HOST_PREFIX']);
  });

  it('rpt03-like-malformed: RPT-DEV-17/18 parses with warnings, both policies excluded from rates', () => {
    const f = parseFixture('rpt03-like-malformed.json');
    expect(f.summary).toEqual({ org: 'Google Inc.', domains: [null, null], totals: [[3, 0], [2, 0]], rows: [0, 0], rates: [false, false] });
    expect(f.report.policies.map((p) => p.policyType)).toEqual(['no-policy-found', 'bogus-policy-type']);
    expect(f.codes).toEqual(['POLICY_COUNT_MISSING', 'POLICY_DOMAIN_MISSING', 'POLICY_STRING_MISSING', 'POLICY_TYPE_UNKNOWN']);
  });

  it('seven-day-range: RPT-DEV-3 a week-long range is flagged', () => {
    const f = parseFixture('seven-day-range.json');
    expect(f.summary).toEqual({ org: 'Example Reporter', domains: ['granite.example'], totals: [[140, 6]], rows: [1], rates: [true] });
    expect(f.report.policies[0]?.failureDetails[0]?.resultType).toBe('certificate-host-mismatch');
    expect(f.codes).toEqual(['DATE_RANGE_OVER_ONE_DAY']);
  });

  it('idn-policy-domain: an A-label policy-domain is kept unchanged without warnings', () => {
    const f = parseFixture('idn-policy-domain.json');
    expect(f.summary.domains).toEqual(['xn--bcher-kva.test']);
    expect(f.codes).toEqual([]);
  });

  it('unicode-policy-domain: a U-label policy-domain is stored as its A-label', () => {
    const f = parseFixture('unicode-policy-domain.json');
    expect(f.summary).toEqual({ org: 'small-mta.test', domains: ['xn--bcher-kva.test'], totals: [[2, 0]], rows: [0], rates: [true] });
    expect(f.report.policies[0]?.mxHost).toEqual(['mx.bücher.test']);
    expect(f.codes).toEqual(['POLICY_DOMAIN_NOT_A_LABEL']);
  });

  it('mx-host-pattern-key: RPT-DEV-6/7 alternative key names and non-URI additional information', () => {
    const f = parseFixture('mx-host-pattern-key.json');
    expect(f.report.policies[0]?.mxHost).toEqual(['*.cove.example']);
    expect(f.report.policies[0]?.failureDetails[0]?.additionalInformation).toBe('see mx logs');
    expect(f.codes).toEqual(['ADDITIONAL_INFORMATION_NOT_URI', 'ADDITIONAL_INFO_URI_KEY', 'MX_HOST_PATTERN_KEY']);
  });

  it('non-ip-text: RPT-DEV-8/9 non-IP text kept raw, empty IP becomes null', () => {
    const f = parseFixture('non-ip-text.json');
    expect(f.report.policies[0]?.failureDetails[0]).toMatchObject({ sendingMtaIp: 'x.x.x.x', sendingMtaIpParsed: null, receivingIp: null, receivingIpParsed: null });
    expect(f.codes).toEqual(['FAILURE_FIELD_MISSING', 'IP_INVALID']);
  });

  it('unknown-keys-and-types: RPT-DEV-15/16/17 misspelled keys, unregistered result types, key:value lines', () => {
    const f = parseFixture('unknown-keys-and-types.json');
    expect(f.summary).toEqual({ org: 'tiny-reporter.test', domains: ['cove.example'], totals: [[10, 4]], rows: [2], rates: [true] });
    expect(f.report.policies[0]?.failureDetails.map((d) => d.resultType)).toEqual(['Testing', 'certificate_expired']);
    expect(f.report.policies[0]?.policyString[0]).toBe('version:STSv1');
    expect(f.warnings.filter((w) => w.code === 'UNKNOWN_KEY').map((w) => w.path)).toEqual([
      'report-version',
      'policies[0].failure-details[0].receiving-mx-host-name',
    ]);
    expect(f.codes).toEqual(['FAILURE_FIELD_MISSING', 'POLICY_STRING_NO_SPACE', 'RESULT_TYPE_UNKNOWN', 'UNKNOWN_KEY']);
  });

  it('policies-empty: RPT-DEV-26 no data, accepted', () => {
    const f = parseFixture('policies-empty.json');
    expect(f.summary.domains).toEqual([]);
    expect(f.codes).toEqual(['POLICIES_EMPTY']);
  });

  it('missing-organization: RPT-DEV-11 dedupe falls back to the contact-info domain', () => {
    const f = parseFixture('missing-organization.json');
    expect(f.report.organizationName).toBeNull();
    expect(f.codes).toEqual(['ORGANIZATION_NAME_MISSING']);
    expect(reportDedupeKey(f.report).organization).toBe('nameless.test');
    expect(reportDedupeKey(f.report, 'submitter.example').organization).toBe('submitter.example');
  });
});
