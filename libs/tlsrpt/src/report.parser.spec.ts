import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORT_LIMITS, parseReport, type ParseReportResult, type ReportWarning } from './index.js';

type Json = Record<string, unknown>;

const detail = (over: Json = {}): Json => ({
  'result-type': 'certificate-expired',
  'sending-mta-ip': '192.0.2.10',
  'receiving-ip': '198.51.100.20',
  'receiving-mx-hostname': 'mx1.dest.test',
  'failed-session-count': 2,
  ...over,
});

const entry = (over: { policy?: Json; summary?: Json; rest?: Json } = {}): Json => ({
  policy: {
    'policy-type': 'sts',
    'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.dest.test', 'max_age: 86400'],
    'policy-domain': 'dest.test',
    'mx-host': ['mx1.dest.test'],
    ...over.policy,
  },
  summary: { 'total-successful-session-count': 90, 'total-failure-session-count': 2, ...over.summary },
  'failure-details': [detail()],
  ...over.rest,
});

const report = (over: Json = {}): Json => ({
  'organization-name': 'Sender Org',
  'date-range': { 'start-datetime': '2025-06-01T00:00:00Z', 'end-datetime': '2025-06-01T23:59:59Z' },
  'contact-info': 'tlsrpt@sender.test',
  'report-id': 'r-2025-06-01@sender.test',
  policies: [entry()],
  ...over,
});

function parsedOk(result: ParseReportResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result;
}

const codes = (warnings: ReportWarning[]): string[] => warnings.map((w) => w.code);

describe('parseReport: a clean report', () => {
  it('RPT-JSON-2: maps every field and raises no warning', () => {
    const { report: r, warnings } = parsedOk(parseReport(report()));
    expect(warnings).toEqual([]);
    expect(r).toEqual({
      organizationName: 'Sender Org',
      dateRange: { start: new Date('2025-06-01T00:00:00Z'), end: new Date('2025-06-01T23:59:59Z') },
      contactInfo: 'tlsrpt@sender.test',
      reportId: 'r-2025-06-01@sender.test',
      policies: [
        {
          policyType: 'sts',
          policyDomain: 'dest.test',
          policyString: ['version: STSv1', 'mode: testing', 'mx: mx1.dest.test', 'max_age: 86400'],
          mxHost: ['mx1.dest.test'],
          totalSuccessfulSessionCount: 90,
          totalFailureSessionCount: 2,
          countsTowardRates: true,
          failureDetails: [
            {
              resultType: 'certificate-expired',
              sendingMtaIp: '192.0.2.10',
              sendingMtaIpParsed: '192.0.2.10',
              receivingIp: '198.51.100.20',
              receivingIpParsed: '198.51.100.20',
              receivingMxHostname: 'mx1.dest.test',
              receivingMxHelo: null,
              failedSessionCount: 2,
              additionalInformation: null,
              failureReasonCode: null,
            },
          ],
        },
      ],
    });
  });
});

describe('parseReport: tolerated deviations (spec notes §7)', () => {
  it('RPT-DEV-1: a date-time without a zone is read as UTC and flagged', () => {
    const { report: r, warnings } = parsedOk(
      parseReport(report({ 'date-range': { 'start-datetime': '2023-01-10T00:00:00', 'end-datetime': '2023-01-10T23:59:59' } })),
    );
    expect(r.dateRange.start.toISOString()).toBe('2023-01-10T00:00:00.000Z');
    expect(r.dateRange.end.toISOString()).toBe('2023-01-10T23:59:59.000Z');
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['DATETIME_NO_ZONE', 'date-range.start-datetime'],
      ['DATETIME_NO_ZONE', 'date-range.end-datetime'],
    ]);
  });

  it('RPT-JSON-2: a numeric zone offset is applied', () => {
    const { report: r, warnings } = parsedOk(
      parseReport(report({ 'date-range': { 'start-datetime': '2025-06-01T02:00:00+02:00', 'end-datetime': '2025-06-01T19:59:59.5-04:00' } })),
    );
    expect(r.dateRange.start.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(r.dateRange.end.toISOString()).toBe('2025-06-01T23:59:59.500Z');
    expect(warnings).toEqual([]);
  });

  it('RPT-DEV-2: a next-day 00:00:00Z end is exactly one day and not flagged', () => {
    const { warnings } = parsedOk(
      parseReport(report({ 'date-range': { 'start-datetime': '2024-02-22T00:00:00Z', 'end-datetime': '2024-02-23T00:00:00Z' } })),
    );
    expect(warnings).toEqual([]);
  });

  it('RPT-DEV-3: a range longer than one day is kept and flagged', () => {
    const { report: r, warnings } = parsedOk(
      parseReport(report({ 'date-range': { 'start-datetime': '2024-03-01T00:00:00Z', 'end-datetime': '2024-03-07T23:59:59Z' } })),
    );
    expect(r.dateRange.end.toISOString()).toBe('2024-03-07T23:59:59.000Z');
    expect(codes(warnings)).toEqual(['DATE_RANGE_OVER_ONE_DAY']);
  });

  it('RPT-DEV-4: mx-host as a string becomes a one-element array', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ policy: { 'mx-host': '*.mail.dest.test' } })] })));
    expect(r.policies[0]?.mxHost).toEqual(['*.mail.dest.test']);
    expect(warnings).toEqual([{ code: 'MX_HOST_STRING', message: expect.stringContaining('string'), path: 'policies[0].policy.mx-host' }]);
  });

  it('RPT-DEV-4: an absent mx-host (Microsoft) becomes [] without a warning', () => {
    const e = entry();
    delete (e['policy'] as Json)['mx-host'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.mxHost).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('RPT-DEV-5: the "mx:" policy-line prefix is stripped from mx-host entries', () => {
    const { report: r, warnings } = parsedOk(
      parseReport(report({ policies: [entry({ policy: { 'mx-host': ['mx: mx1.dest.test', 'MX:\tmx2.dest.test', 'mx3.dest.test'] } })] })),
    );
    expect(r.policies[0]?.mxHost).toEqual(['mx1.dest.test', 'mx2.dest.test', 'mx3.dest.test']);
    expect(codes(warnings)).toEqual(['MX_HOST_PREFIX']);
  });

  it('RPT-DEV-6: mx-host-pattern is read when mx-host is absent', () => {
    const e = entry({ policy: { 'mx-host-pattern': ['*.dest.test'] } });
    delete (e['policy'] as Json)['mx-host'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.mxHost).toEqual(['*.dest.test']);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['MX_HOST_PATTERN_KEY', 'policies[0].policy.mx-host-pattern']]);
  });

  it('RPT-DEV-6: additional-info-uri is read in place of additional-information', () => {
    const d = detail({ 'additional-info-uri': 'https://sender.test/why?id=1' });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]?.additionalInformation).toBe('https://sender.test/why?id=1');
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['ADDITIONAL_INFO_URI_KEY', 'policies[0].failure-details[0].additional-info-uri'],
    ]);
  });

  it('RPT-DEV-7: additional-information that is not a URI is kept as opaque text and flagged', () => {
    const d = detail({ 'additional-information': 'mx1 refused STARTTLS' });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]?.additionalInformation).toBe('mx1 refused STARTTLS');
    expect(codes(warnings)).toEqual(['ADDITIONAL_INFORMATION_NOT_URI']);
  });

  it('RPT-DEV-8: missing or empty IPs and MX hostname become null, one warning per field', () => {
    const d = { 'result-type': 'sts-policy-fetch-error', 'failed-session-count': 2, 'receiving-ip': '', 'receiving-mx-hostname': '' };
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]).toMatchObject({
      sendingMtaIp: null,
      sendingMtaIpParsed: null,
      receivingIp: null,
      receivingIpParsed: null,
      receivingMxHostname: null,
    });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['FAILURE_FIELD_MISSING', 'policies[0].failure-details[0].sending-mta-ip'],
      ['FAILURE_FIELD_MISSING', 'policies[0].failure-details[0].receiving-ip'],
      ['FAILURE_FIELD_MISSING', 'policies[0].failure-details[0].receiving-mx-hostname'],
    ]);
  });

  it('RPT-DEV-9: non-IP text in an IP field keeps the raw text and a null parsed value', () => {
    const d = detail({ 'sending-mta-ip': 'x.x.x.x', 'receiving-ip': '010.1.2.3' });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]).toMatchObject({
      sendingMtaIp: 'x.x.x.x',
      sendingMtaIpParsed: null,
      receivingIp: '010.1.2.3',
      receivingIpParsed: null,
    });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['IP_INVALID', 'policies[0].failure-details[0].sending-mta-ip'],
      ['IP_INVALID', 'policies[0].failure-details[0].receiving-ip'],
    ]);
  });

  it('RPT-DEV-9: valid IPs get canonical text; non-canonical forms are flagged', () => {
    const d = detail({ 'sending-mta-ip': '2001:DB8:abcd:0012::1', 'receiving-ip': '::ffff:198.51.100.7' });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]).toMatchObject({
      sendingMtaIp: '2001:DB8:abcd:0012::1',
      sendingMtaIpParsed: '2001:db8:abcd:12::1',
      receivingIp: '::ffff:198.51.100.7',
      receivingIpParsed: '::ffff:198.51.100.7',
    });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['IP_NOT_CANONICAL', 'policies[0].failure-details[0].sending-mta-ip']]);
  });

  it('RPT-DEV-10: contact-info null or absent is accepted and flagged', () => {
    const withNull = parsedOk(parseReport(report({ 'contact-info': null })));
    expect(withNull.report.contactInfo).toBeNull();
    expect(codes(withNull.warnings)).toEqual(['CONTACT_INFO_MISSING']);
    const absent = report();
    delete absent['contact-info'];
    expect(codes(parsedOk(parseReport(absent)).warnings)).toEqual(['CONTACT_INFO_MISSING']);
  });

  it('RPT-DEV-11: a missing organization-name is accepted as null and flagged', () => {
    const r = report();
    delete r['organization-name'];
    const parsed = parsedOk(parseReport(r));
    expect(parsed.report.organizationName).toBeNull();
    expect(codes(parsed.warnings)).toEqual(['ORGANIZATION_NAME_MISSING']);
    expect(parsedOk(parseReport(report({ 'organization-name': '  ' }))).report.organizationName).toBeNull();
  });

  it('RPT-DEV-12: failure-details adding up above the total are kept and flagged', () => {
    const e = entry({ summary: { 'total-failure-session-count': 1 }, rest: { 'failure-details': [detail({ 'failed-session-count': 1 }), detail({ 'failed-session-count': 1 })] } });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.totalFailureSessionCount).toBe(1);
    expect(r.policies[0]?.failureDetails.map((d) => d.failedSessionCount)).toEqual([1, 1]);
    expect(r.policies[0]?.countsTowardRates).toBe(true);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['FAILURE_SUM_ABOVE_TOTAL', 'policies[0].failure-details']]);
  });

  it('RPT-JSON-4: failure-details adding up below the total are normal', () => {
    const e = entry({ summary: { 'total-failure-session-count': 5 } });
    expect(parsedOk(parseReport(report({ policies: [e] }))).warnings).toEqual([]);
  });

  it('RPT-DEV-13: an absent policy-string for an sts policy becomes [] and is flagged', () => {
    const e = entry();
    delete (e['policy'] as Json)['policy-string'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.policyString).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['POLICY_STRING_MISSING', 'policies[0].policy.policy-string']]);
  });

  it('RPT-JSON-5: no-policy-found without policy-string or failure-details raises no warning', () => {
    const e = { policy: { 'policy-type': 'no-policy-found', 'policy-domain': 'dest.test' }, summary: { 'total-successful-session-count': 48, 'total-failure-session-count': 0 } };
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]).toMatchObject({ policyType: 'no-policy-found', policyString: [], failureDetails: [], countsTowardRates: true });
    expect(warnings).toEqual([]);
  });

  it('RPT-DEV-13: absent failure-details beside counted failures is flagged', () => {
    const e = entry();
    delete e['failure-details'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.failureDetails).toEqual([]);
    expect(r.policies[0]?.totalFailureSessionCount).toBe(2);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['FAILURE_DETAILS_MISSING', 'policies[0].failure-details']]);
  });

  it('RPT-DEV-14: a TLSA policy-string packed into one JSON-array string is kept as sent', () => {
    const packed = '["3 1 1 AABBCC","3 1 1 DDEEFF"]';
    const e = entry({ policy: { 'policy-type': 'tlsa', 'policy-string': [packed] } });
    delete (e['policy'] as Json)['mx-host'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.policyString).toEqual([packed]);
    expect(r.policies[0]?.countsTowardRates).toBe(true);
    expect(codes(warnings)).toEqual(['POLICY_STRING_PACKED_JSON']);
  });

  it('RPT-DEV-15: sts lines without a space after ":" are kept verbatim and flagged once', () => {
    const lines = ['version:STSv1', 'mode:enforce', 'mx:mx1.dest.test', 'max_age:86400'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ policy: { 'policy-string': lines } })] })));
    expect(r.policies[0]?.policyString).toEqual(lines);
    expect(codes(warnings)).toEqual(['POLICY_STRING_NO_SPACE']);
  });

  it('RPT-DEV-16: unknown keys at every level are flagged with their path', () => {
    const e = entry({ policy: { 'policy-version': 1 }, summary: { 'total-deferred': 3 }, rest: { extra: true, 'failure-details': [detail({ 'receiving-mx-host-name': 'mx1.dest.test' })] } });
    const { warnings } = parsedOk(parseReport(report({ policies: [e], 'report-version': 2, 'date-range': { 'start-datetime': '2025-06-01T00:00:00Z', 'end-datetime': '2025-06-01T23:59:59Z', tz: 'UTC' } })));
    expect(warnings.filter((w) => w.code === 'UNKNOWN_KEY').map((w) => w.path)).toEqual([
      'report-version',
      'date-range.tz',
      'policies[0].extra',
      'policies[0].policy.policy-version',
      'policies[0].summary.total-deferred',
      'policies[0].failure-details[0].receiving-mx-host-name',
    ]);
  });

  it('RPT-DEV-17: unknown result types are kept verbatim and flagged; the policy still counts', () => {
    const e = entry({ rest: { 'failure-details': [detail({ 'result-type': 'Testing' }), detail({ 'result-type': 'certificate_expired', 'failed-session-count': 0 })] } });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.failureDetails.map((d) => d.resultType)).toEqual(['Testing', 'certificate_expired']);
    expect(r.policies[0]?.countsTowardRates).toBe(true);
    expect(codes(warnings)).toEqual(['RESULT_TYPE_UNKNOWN', 'RESULT_TYPE_UNKNOWN']);
  });

  it('RPT-DEV-17: an unknown policy-type is kept verbatim and excluded from rates', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ policy: { 'policy-type': 'STS' } })] })));
    expect(r.policies[0]?.policyType).toBe('STS');
    expect(r.policies[0]?.countsTowardRates).toBe(false);
    expect(codes(warnings)).toEqual(['POLICY_TYPE_UNKNOWN']);
  });

  it('RPT-DEV-18: a policy without policy-domain is stored, flagged and excluded from rates', () => {
    const e = entry();
    delete (e['policy'] as Json)['policy-domain'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.policyDomain).toBeNull();
    expect(r.policies[0]?.totalSuccessfulSessionCount).toBe(90);
    expect(r.policies[0]?.countsTowardRates).toBe(false);
    expect(codes(warnings)).toEqual(['POLICY_DOMAIN_MISSING']);
  });

  it('RPT-DEV-18: a missing summary count is stored as 0, flagged and excluded from rates', () => {
    const e = entry({ rest: { summary: { 'total-successful-session-count': 7 }, 'failure-details': [] } });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]).toMatchObject({ totalSuccessfulSessionCount: 7, totalFailureSessionCount: 0, countsTowardRates: false });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['POLICY_COUNT_MISSING', 'policies[0].summary.total-failure-session-count']]);
  });

  it('RPT-DEV-18: a missing summary object leaves both counts 0 and excludes the policy', () => {
    const e = entry({ rest: { 'failure-details': [] } });
    delete e['summary'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]).toMatchObject({ totalSuccessfulSessionCount: 0, totalFailureSessionCount: 0, countsTowardRates: false });
    expect(codes(warnings)).toEqual(['POLICY_COUNT_MISSING', 'POLICY_COUNT_MISSING']);
  });

  it('RPT-DEV-18: a missing policy object leaves type and domain empty and excludes the entry', () => {
    const e = entry();
    delete e['policy'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]).toMatchObject({ policyType: '', policyDomain: null, policyString: [], mxHost: [], countsTowardRates: false });
    expect(r.policies[0]?.failureDetails).toHaveLength(1);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['POLICY_TYPE_MISSING', 'policies[0].policy.policy-type'],
      ['POLICY_DOMAIN_MISSING', 'policies[0].policy.policy-domain'],
      ['POLICY_STRING_MISSING', 'policies[0].policy.policy-string'],
    ]);
  });

  it('RPT-DEV-12/18: with only the success count missing, failures above the total are still flagged', () => {
    const e = entry({
      rest: { summary: { 'total-failure-session-count': 1 }, 'failure-details': [detail({ 'failed-session-count': 3 })] },
    });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.countsTowardRates).toBe(false);
    expect(codes(warnings)).toEqual(['POLICY_COUNT_MISSING', 'FAILURE_SUM_ABOVE_TOTAL']);
  });

  it('RPT-DEV-8: failure-details sent as one object is read as one row and flagged', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': detail() } })] })));
    expect(r.policies[0]?.failureDetails.map((d) => d.resultType)).toEqual(['certificate-expired']);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['FAILURE_DETAILS_INVALID', 'policies[0].failure-details']]);
  });

  it('RPT-DEV-17: a failure row without result-type is kept with "" and flagged; missing count is 0', () => {
    const d = detail();
    delete d['result-type'];
    delete d['failed-session-count'];
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ rest: { 'failure-details': [d] } })] })));
    expect(r.policies[0]?.failureDetails[0]).toMatchObject({ resultType: '', failedSessionCount: 0 });
    expect(codes(warnings)).toEqual(['RESULT_TYPE_MISSING', 'FAILED_SESSION_COUNT_MISSING']);
  });

  it('RPT-JSON-2: non-object policies entries are skipped and flagged', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: ['sts', entry()] })));
    expect(r.policies.map((p) => p.policyDomain)).toEqual(['dest.test']);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['POLICY_ENTRY_INVALID', 'policies[0]']]);
  });

  it('RPT-DEV-19: report-id shapes are opaque and kept verbatim', () => {
    for (const id of ['2024-01-09T00:00:00Z_example.com', '133925885310113267+random.net', '1234567890+', '123_456', ' spaced id ']) {
      expect(parsedOk(parseReport(report({ 'report-id': id }))).report.reportId).toBe(id);
    }
  });

  it('RPT-DEV-26: policies: [] is accepted as "no data" and flagged', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [] })));
    expect(r.policies).toEqual([]);
    expect(warnings).toEqual([{ code: 'POLICIES_EMPTY', message: expect.any(String), path: 'policies' }]);
  });

  it('RPT-JSON-2: policies sent as one object instead of an array is read as one policy', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: entry() })));
    expect(r.policies.map((p) => p.policyDomain)).toEqual(['dest.test']);
    expect(codes(warnings)).toEqual(['POLICIES_NOT_ARRAY']);
  });

  it('RPT-JSON-2: a U-label policy-domain is stored as its lower-case A-label', () => {
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [entry({ policy: { 'policy-domain': 'Bücher.TEST.' } })] })));
    expect(r.policies[0]?.policyDomain).toBe('xn--bcher-kva.test');
    expect(r.policies[0]?.countsTowardRates).toBe(true);
    expect(codes(warnings)).toEqual(['POLICY_DOMAIN_NOT_A_LABEL']);
  });

  it('RPT-JSON-7: a NUL inside a string is plain data', () => {
    const { report: r } = parsedOk(parseReport(report({ 'organization-name': 'Evil\u0000Org' })));
    expect(r.organizationName).toBe('Evil\u0000Org');
  });
});

describe('parseReport: rejections', () => {
  const rejected = (json: unknown) => {
    const result = parseReport(json);
    if (result.ok) throw new Error('expected a rejection');
    return { code: result.code, reason: result.reason };
  };

  it('NOT_AN_OBJECT: arrays, strings and null are not reports', () => {
    expect(rejected([report()])).toEqual({ code: 'NOT_AN_OBJECT', reason: 'A report must be a JSON object, got an array' });
    expect(rejected('{}').code).toBe('NOT_AN_OBJECT');
    expect(rejected(null).code).toBe('NOT_AN_OBJECT');
  });

  it('MISSING_FIELD: report-id, date-range and policies are required', () => {
    for (const key of ['report-id', 'date-range', 'policies']) {
      const r = report();
      delete r[key];
      expect(rejected(r)).toEqual({ code: 'MISSING_FIELD', reason: `${key} is missing` });
    }
    expect(rejected(report({ 'report-id': '' }))).toEqual({ code: 'MISSING_FIELD', reason: 'report-id is empty' });
    expect(rejected(report({ policies: 'none' }))).toEqual({ code: 'MISSING_FIELD', reason: 'policies must be an array, got string "none"' });
    expect(rejected(report({ 'date-range': { 'start-datetime': '2025-06-01T00:00:00Z' } }))).toEqual({
      code: 'MISSING_FIELD',
      reason: 'date-range.end-datetime is missing',
    });
  });

  it('BAD_COUNT: negative, fractional, string and unsafe counts name the field', () => {
    const withSummary = (value: unknown) => report({ policies: [entry({ summary: { 'total-successful-session-count': value } })] });
    expect(rejected(withSummary(-1))).toEqual({
      code: 'BAD_COUNT',
      reason: `policies[0].summary.total-successful-session-count must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}, got -1`,
    });
    expect(rejected(withSummary(1.5)).code).toBe('BAD_COUNT');
    expect(rejected(withSummary(Number.MAX_SAFE_INTEGER + 2)).code).toBe('BAD_COUNT');
    // Strict on purpose: a numeric string is not guessed at (see readCount).
    expect(rejected(withSummary('5'))).toEqual({
      code: 'BAD_COUNT',
      reason: 'policies[0].summary.total-successful-session-count must be a JSON number, got string "5"',
    });
    const badDetail = report({ policies: [entry({ rest: { 'failure-details': [detail({ 'failed-session-count': -3 })] } })] });
    expect(rejected(badDetail).reason).toContain('policies[0].failure-details[0].failed-session-count');
  });

  it('BAD_COUNT: the largest safe integer is still accepted', () => {
    const r = parsedOk(parseReport(report({ policies: [entry({ summary: { 'total-successful-session-count': Number.MAX_SAFE_INTEGER } })] })));
    expect(r.report.policies[0]?.totalSuccessfulSessionCount).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('BAD_DATE: unparseable dates and impossible calendar values', () => {
    const withStart = (value: unknown) =>
      report({ 'date-range': { 'start-datetime': value, 'end-datetime': '2025-06-01T23:59:59Z' } });
    expect(rejected(withStart('yesterday'))).toEqual({
      code: 'BAD_DATE',
      reason: 'date-range.start-datetime is not an RFC 3339 date-time: "yesterday"',
    });
    expect(rejected(withStart('2025-02-30T00:00:00Z')).code).toBe('BAD_DATE');
    expect(rejected(withStart('2025-06-01T24:00:00Z')).code).toBe('BAD_DATE');
    expect(rejected(withStart('2025-06-01')).code).toBe('BAD_DATE');
    expect(rejected(withStart(1717200000)).code).toBe('BAD_DATE');
  });

  it('BAD_DATE: a date whose UTC year is 0 or 10000 (no day to store it under)', () => {
    const withRange = (start: string, end = '9999-12-31T23:59:59Z') => report({ 'date-range': { 'start-datetime': start, 'end-datetime': end } });
    expect(rejected(withRange('0000-01-01T00:00:00Z'))).toEqual({
      code: 'BAD_DATE',
      reason: 'date-range.start-datetime "0000-01-01T00:00:00Z" is outside the years 1 to 9999 (UTC)',
    });
    expect(rejected(withRange('0001-01-01T00:30:00+01:00')).code).toBe('BAD_DATE');
    expect(rejected(withRange('9999-12-31T00:00:00Z', '9999-12-31T23:59:59-05:00')).reason).toContain('date-range.end-datetime');
    expect(parsedOk(parseReport(withRange('0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'))).report.dateRange.start.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  it('DATE_RANGE_REVERSED: start after end is refused', () => {
    const r = report({ 'date-range': { 'start-datetime': '2025-06-02T00:00:00Z', 'end-datetime': '2025-06-01T23:59:59Z' } });
    expect(rejected(r)).toEqual({
      code: 'DATE_RANGE_REVERSED',
      reason: 'date-range.start-datetime 2025-06-02T00:00:00.000Z is after date-range.end-datetime 2025-06-01T23:59:59.000Z',
    });
  });

  it('TOO_MANY_POLICIES: more policies than maxPolicies', () => {
    const r = report({ policies: [entry(), entry(), entry()] });
    expect(parseReport(r, { maxPolicies: 3 }).ok).toBe(true);
    expect(parseReport(r, { maxPolicies: 2 })).toEqual({
      ok: false,
      code: 'TOO_MANY_POLICIES',
      reason: 'policies has 3 entries, more than the limit of 2',
    });
  });

  it('TOO_MANY_FAILURE_DETAILS: the cap counts failure details across all policies', () => {
    const e = entry({ summary: { 'total-failure-session-count': 20 }, rest: { 'failure-details': [detail(), detail(), detail()] } });
    const r = report({ policies: [e, e] });
    expect(parseReport(r, { maxFailureDetails: 6 }).ok).toBe(true);
    expect(parseReport(r, { maxFailureDetails: 5 })).toEqual({
      ok: false,
      code: 'TOO_MANY_FAILURE_DETAILS',
      reason: 'policies[].failure-details hold 6 entries in total, more than the limit of 5',
    });
  });

  it('limits: defaults are 1000 policies, 100000 failure details, depth 64', () => {
    expect(DEFAULT_REPORT_LIMITS).toEqual({ maxPolicies: 1000, maxFailureDetails: 100_000, maxJsonDepth: 64 });
    const r = report({ policies: Array.from({ length: 1001 }, () => entry()) });
    expect(parseReport(r)).toMatchObject({ ok: false, code: 'TOO_MANY_POLICIES' });
  });

  it('limits: 0, NaN or a string never switch a cap off', () => {
    expect(() => parseReport(report(), { maxPolicies: 0 })).toThrow(RangeError);
    expect(() => parseReport(report(), { maxFailureDetails: Number.NaN })).toThrow('maxFailureDetails');
    expect(() => parseReport(report(), { maxJsonDepth: '64' as unknown as number })).toThrow('maxJsonDepth');
  });
});

describe('parseReport: warning volume', () => {
  it('keeps at most 100 warnings per code and summarises the rest', () => {
    const rows = Array.from({ length: 150 }, () => ({ 'result-type': 'sts-policy-fetch-error', 'failed-session-count': 1 }));
    const e = entry({ summary: { 'total-failure-session-count': 150 }, rest: { 'failure-details': rows } });
    const { report: r, warnings } = parsedOk(parseReport(report({ policies: [e] })));
    expect(r.policies[0]?.failureDetails).toHaveLength(150);
    expect(warnings.filter((w) => w.code === 'FAILURE_FIELD_MISSING')).toHaveLength(100);
    expect(warnings.filter((w) => w.code === 'WARNINGS_TRUNCATED').map((w) => w.message)).toEqual([
      '350 more FAILURE_FIELD_MISSING warnings were left out (only the first 100 are kept).',
    ]);
  });
});
