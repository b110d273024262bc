import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, strFromU8 } from 'fflate';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseReportText, reportDedupeKey } from './index.js';

// Real-world reports in the shared, read-only corpus (../shared/samples, see SOURCES.md there).
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = join(REPO_ROOT, '../shared/samples');
const HAVE_SAMPLES = existsSync(SAMPLES);

interface Expected {
  org: string;
  reportId: string;
  start: string;
  domains: (string | null)[];
  /** [successful, failed] per policy, from the summary. */
  totals: [number, number][];
  rows: number[];
  rates: boolean[];
  /** Sorted, distinct warning codes. */
  codes: string[];
}

const EXPECTED: Record<string, Expected> = {
  'cry-inc__dmarc-report-viewer__google.json': {
    org: 'Google Inc.', reportId: '2025-05-22T00:00:00Z_foo-bar.io', start: '2025-05-22T00:00:00.000Z',
    domains: ['foo-bar.io'], totals: [[1, 0]], rows: [0], rates: [true], codes: [],
  },
  'cry-inc__dmarc-report-viewer__microsoft.json': {
    org: 'Microsoft Corporation', reportId: '133925885310113267+random.net', start: '2025-05-23T00:00:00.000Z',
    domains: ['random.net', 'random.net'], totals: [[2, 0], [2, 0]], rows: [0, 0], rates: [true, true],
    codes: ['POLICY_STRING_PACKED_JSON'],
  },
  'cry-inc__dmarc-report-viewer__no-contact.json': {
    org: 'server.com', reportId: '123_456', start: '2026-01-11T00:00:00.000Z',
    domains: ['server.com'], totals: [[1, 0]], rows: [0], rates: [true], codes: ['CONTACT_INFO_MISSING', 'MX_HOST_PREFIX'],
  },
  'cry-inc__dmarc-report-viewer__no-policy.json': {
    org: 'Google Inc.', reportId: '2025-03-27T00:00:00Z_foo-bar.io', start: '2025-03-27T00:00:00.000Z',
    domains: ['foo-bar.io'], totals: [[1, 0]], rows: [0], rates: [true], codes: [],
  },
  'cry-inc__dmarc-report-viewer__no_ip_and_mx.json': {
    org: 'Microsoft Corporation', reportId: '1234567890+', start: '2025-06-14T00:00:00.000Z',
    domains: ['xxxxxxxx.xx'], totals: [[0, 3]], rows: [1], rates: [true], codes: ['FAILURE_FIELD_MISSING', 'POLICY_STRING_MISSING'],
  },
  'domainaware__parsedmarc__mail.ru.json': {
    org: 'Mail.ru', reportId: 'b28254de-7b2e-be36-bb5c-4c3b92da8b25@mail.ru', start: '2024-02-22T00:00:00.000Z',
    domains: ['example.com'], totals: [[0, 1]], rows: [2], rates: [true],
    codes: ['FAILURE_FIELD_MISSING', 'FAILURE_SUM_ABOVE_TOTAL', 'POLICY_STRING_MISSING'],
  },
  'domainaware__parsedmarc__rfc8460.json': {
    org: 'Company-X', reportId: '5065427c-23d3-47ca-b6e0-946ea0e8c4be', start: '2016-04-01T00:00:00.000Z',
    domains: ['company-y.example'], totals: [[5326, 303]], rows: [3], rates: [true],
    codes: ['FAILURE_FIELD_MISSING', 'IP_NOT_CANONICAL', 'MX_HOST_STRING'],
  },
  'domainaware__parsedmarc__smtp_tls.json': {
    org: 'Example Inc.', reportId: '2024-01-09T00:00:00Z_example.com', start: '2024-01-09T00:00:00.000Z',
    domains: ['example.com'], totals: [[0, 3]], rows: [2], rates: [true], codes: [],
  },
  'opus-codium__email-report-processor__google.com!example.com!1667520000!1667606399!001.json': {
    org: 'Google Inc.', reportId: '2022-11-04T00:00:00Z_example.com', start: '2022-11-04T00:00:00.000Z',
    domains: ['example.com'], totals: [[2, 0]], rows: [0], rates: [true], codes: [],
  },
  'stalwartlabs__mail-auth__rpt03.json': {
    org: 'Google Inc.', reportId: '2019-04-14T00:00:00Z_example.org', start: '2019-04-14T00:00:00.000Z',
    domains: [null, null], totals: [[1, 0], [1, 0]], rows: [0, 0], rates: [false, false],
    codes: ['POLICY_COUNT_MISSING', 'POLICY_DOMAIN_MISSING', 'POLICY_STRING_MISSING', 'POLICY_TYPE_UNKNOWN'],
  },
  // Mail samples: the report attachment is extracted in the test (gzip sniffed by magic bytes).
  'domainaware__parsedmarc__google.com_smtp_tls_report.eml': {
    org: 'Google Inc.', reportId: '2024-09-03T00:00:00Z_cardinalhealth.ca', start: '2024-09-03T00:00:00.000Z',
    domains: ['cardinalhealth.ca'], totals: [[48, 0]], rows: [0], rates: [true], codes: [],
  },
  'isseis__tlsrpt-digest__tlsrpt_failure.eml': {
    org: 'Google Inc.', reportId: '2026-02-08T00:00:00Z_example.com', start: '2026-02-08T00:00:00.000Z',
    domains: ['example.com'], totals: [[4523, 2]], rows: [1], rates: [true], codes: ['FAILURE_FIELD_MISSING'],
  },
  'isseis__tlsrpt-digest__tlsrpt_success_google_1.eml': {
    org: 'Google Inc.', reportId: '2026-05-11T00:00:00Z_example.com', start: '2026-05-11T00:00:00.000Z',
    domains: ['example.com'], totals: [[1, 0]], rows: [0], rates: [true], codes: [],
  },
  'isseis__tlsrpt-digest__tlsrpt_success_microsoft.eml': {
    org: 'Microsoft Corporation', reportId: '134232617934286362+example.com', start: '2026-05-13T00:00:00.000Z',
    domains: ['example.com'], totals: [[2, 0]], rows: [0], rates: [true], codes: [],
  },
  'marcbradshaw__mail-tls-rpt__email.eml': {
    org: 'Google Inc.', reportId: '2020-03-02T00:00:00Z_fastmaildmarc.com', start: '2020-03-02T00:00:00.000Z',
    domains: ['fastmaildmarc.com'], totals: [[343, 0]], rows: [0], rates: [true], codes: [],
  },
  'mjl-__mox__example.eml': {
    org: 'Google Inc.', reportId: '2022-09-15T00:00:00Z_test.xmox.nl', start: '2022-09-15T00:00:00.000Z',
    domains: ['test.xmox.nl'], totals: [[3, 0]], rows: [0], rates: [true], codes: [],
  },
  'mjl-__mox__microsoft.eml': {
    org: 'Microsoft Corporation', reportId: '133198585438131172+test.xmox.nl', start: '2023-01-10T00:00:00.000Z',
    domains: ['test.xmox.nl'], totals: [[2, 0]], rows: [0], rates: [true], codes: ['DATETIME_NO_ZONE'],
  },
  'opus-codium__email-report-processor__report.elm': {
    org: 'Google Inc.', reportId: '2023-02-02T00:00:00Z_blogreen.org', start: '2023-02-02T00:00:00.000Z',
    domains: ['blogreen.org'], totals: [[1, 0]], rows: [0], rates: [true], codes: [],
  },
  'stalwartlabs__mail-auth__rpt02.eml': {
    org: 'Google Inc.', reportId: '2020-01-01T00:00:00Z_example.com', start: '2020-01-01T00:00:00.000Z',
    domains: ['example.com'], totals: [[23, 1]], rows: [1], rates: [true], codes: ['DATE_RANGE_OVER_ONE_DAY'],
  },
};

const sampleFiles = HAVE_SAMPLES ? readdirSync(SAMPLES).filter((f) => /\.(json|eml|elm)$/.test(f)).sort() : [];

async function reportText(file: string): Promise<string> {
  const bytes = readFileSync(join(SAMPLES, file));
  if (file.endsWith('.json')) return bytes.toString('utf8');
  const mail = await simpleParser(bytes);
  const part = mail.attachments.find((a) => a.contentType.startsWith('application/tlsrpt'));
  if (!part) throw new Error(`${file}: no application/tlsrpt part`);
  const content = new Uint8Array(part.content);
  return strFromU8(content[0] === 0x1f && content[1] === 0x8b ? gunzipSync(content) : content);
}

describe.skipIf(!HAVE_SAMPLES)('conformance: real-world samples in ../shared/samples', () => {
  it('every sample report has expectations written for it', () => {
    expect(sampleFiles).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of Object.keys(EXPECTED)) {
    it(`${file} parses to the organisation, domains and totals read from the file`, async () => {
      const want = EXPECTED[file]!;
      const result = parseReportText(await reportText(file));
      if (!result.ok) throw new Error(`${file} was rejected: ${result.code} ${result.reason}`);
      const { report, warnings } = result;
      expect({
        org: report.organizationName,
        reportId: report.reportId,
        start: report.dateRange.start.toISOString(),
        domains: report.policies.map((p) => p.policyDomain),
        totals: report.policies.map((p) => [p.totalSuccessfulSessionCount, p.totalFailureSessionCount]),
        rows: report.policies.map((p) => p.failureDetails.length),
        rates: report.policies.map((p) => p.countsTowardRates),
        codes: [...new Set(warnings.map((w) => w.code))].sort(),
      }).toEqual(want);
      expect(reportDedupeKey(report).organization).toBe(want.org);
    });
  }

  it('Mail.ru: two fetch-error rows whose sum (2) is above the total (1)', async () => {
    const result = parseReportText(await reportText('domainaware__parsedmarc__mail.ru.json'));
    const policy = result.ok ? result.report.policies[0] : undefined;
    expect(policy?.failureDetails.map((d) => [d.resultType, d.failedSessionCount, d.failureReasonCode])).toEqual([
      ['sts-policy-fetch-error', 1, 'bad https response code: 404'],
      ['sts-policy-fetch-error', 1, 'bad https response code: 500'],
    ]);
    expect(policy?.totalFailureSessionCount).toBe(1);
    expect(result.ok && result.warnings.find((w) => w.code === 'FAILURE_SUM_ABOVE_TOTAL')?.path).toBe('policies[0].failure-details');
  });

  it('RFC 8460 example: mx-host string, IPv6 made canonical, additional-information kept', async () => {
    const result = parseReportText(await reportText('domainaware__parsedmarc__rfc8460.json'));
    const policy = result.ok ? result.report.policies[0] : undefined;
    expect(policy?.mxHost).toEqual(['*.mail.company-y.example']);
    expect(policy?.failureDetails.map((d) => [d.sendingMtaIp, d.sendingMtaIpParsed])).toEqual([
      ['2001:db8:abcd:0012::1', '2001:db8:abcd:12::1'],
      ['2001:db8:abcd:0013::1', '2001:db8:abcd:13::1'],
      ['198.51.100.62', '198.51.100.62'],
    ]);
    expect(policy?.failureDetails[1]?.additionalInformation).toBe(
      'https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported',
    );
  });

  it('rpt03: malformed policies are kept with warnings, types verbatim, none counts toward rates', async () => {
    const result = parseReportText(await reportText('stalwartlabs__mail-auth__rpt03.json'));
    expect(result.ok && result.report.policies.map((p) => [p.policyType, p.countsTowardRates])).toEqual([
      ['no-policy-found', false],
      ['invalid-policy-type', false],
    ]);
  });

  it('Microsoft 2023 (mox): zone-less dates read as UTC', async () => {
    const result = parseReportText(await reportText('mjl-__mox__microsoft.eml'));
    expect(result.ok && [result.report.dateRange.start.toISOString(), result.report.dateRange.end.toISOString()]).toEqual([
      '2023-01-10T00:00:00.000Z',
      '2023-01-10T23:59:59.000Z',
    ]);
  });
});
