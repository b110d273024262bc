import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import {
  bothReporters,
  dailyReports,
  enforceInput,
  failure,
  report,
  testingInput,
} from './testing/rollout-builders.js';
import type { Advice } from './rollout.types.js';

const NOW = '2026-02-04T00:00:00Z';
const codes = (a: Advice) => a.blockers.map((b) => b.code);
const blocker = (a: Advice, code: string) => a.blockers.find((b) => b.code === code);

/** 30 clean days from both reporters, plus `extra` reports. */
function withReports(...extra: ReturnType<typeof report>[]) {
  return testingInput(NOW, { reports: [...bothReporters('2026-01-05', 30), ...extra] });
}

describe('REPORTED_TLS_FAILURES: failure ceiling (ROLL-6.4)', () => {
  // Baseline: 60 reports x 400 sessions = 24000 clean sessions; one extra report adds the failures.
  it('ROLL-6.4: a failed share of exactly 0.1 % in the window is not above the ceiling', () => {
    const reports = [
      ...bothReporters('2026-01-05', 23), // up to 2026-01-27, outside the 7-day window
      ...dailyReports('2026-01-28', 7, { org: 'Microsoft Corporation' }),
      ...dailyReports('2026-01-28', 6, { org: 'Google Inc.', success: 500 }),
      report({ org: 'Google Inc.', day: '2026-02-03', success: 996, failed: 4, details: [failure('certificate-expired', 'mx2.example.com', 4)] }),
    ];
    // Google window: 6 x 500 + 996 + 4 = 4000 sessions, 4 failed = exactly 0.1 %.
    const advice = advise(testingInput(NOW, { reports }));
    expect(codes(advice)).toEqual([]);
    expect(advice.verdict).toBe('ready-to-enforce');
  });

  it('ROLL-6.4: one failed session more than 0.1 % in one organization window blocks, naming org, counts and host', () => {
    const reports = [
      ...bothReporters('2026-01-05', 23),
      ...dailyReports('2026-01-28', 7, { org: 'Microsoft Corporation' }),
      ...dailyReports('2026-01-28', 6, { org: 'Google Inc.', success: 500 }),
      report({ org: 'Google Inc.', day: '2026-02-03', success: 995, failed: 5, details: [failure('certificate-expired', 'mx2.example.com', 5)] }),
    ];
    const advice = advise(testingInput(NOW, { reports }));
    expect(codes(advice)).toEqual(['REPORTED_TLS_FAILURES']);
    const b = blocker(advice, 'REPORTED_TLS_FAILURES');
    expect(b?.message).toContain('Google Inc.: 5 of 4000 sessions failed in the last 7 days (0.125 %)');
    expect(b?.message).toContain('mx2.example.com (certificate-expired: 5)');
    expect(b?.evidence).toMatchObject({ failed: 5, ceiling: 0.001, windowDays: 7 });
    expect(advice.verdict).toBe('keep-testing');
  });

  it('ROLL-6.4 per-org window: the same burst 8 days ago is diluted overall and outside the 7-day window', () => {
    const reports = [
      ...bothReporters('2026-01-05', 30),
      report({ org: 'Google Inc.', day: '2026-01-27', success: 0, failed: 20, details: [failure('certificate-expired', 'mx2.example.com', 20)] }),
    ];
    // Overall: 20 of 24020 = 0.083 % <= 0.1 %; the org window (from 2026-01-28) does not include 2026-01-27.
    expect(codes(advise(testingInput(NOW, { reports })))).toEqual([]);
  });

  it('ROLL-6.4 per-org window: the same burst 6 days ago blocks through the organization window', () => {
    const reports = [
      ...bothReporters('2026-01-05', 30),
      report({ org: 'Google Inc.', day: '2026-01-29', success: 0, failed: 20, details: [failure('certificate-expired', 'mx2.example.com', 20)] }),
    ];
    const advice = advise(testingInput(NOW, { reports }));
    expect(codes(advice)).toEqual(['REPORTED_TLS_FAILURES']);
    expect(blocker(advice, 'REPORTED_TLS_FAILURES')?.message).toContain('Google Inc.: 20 of 2820 sessions failed in the last 7 days');
  });

  it('overall window: failures spread thinly across organizations still block when the whole share is above 0.1 %', () => {
    const reports = bothReporters('2026-01-05', 30, { success: 399, failed: 1, details: [failure('starttls-not-supported', 'mx1.example.com', 1)] });
    // 60 of 24000 = 0.25 % overall, and 0.25 % per org.
    const b = blocker(advise(testingInput(NOW, { reports })), 'REPORTED_TLS_FAILURES');
    expect(b?.message).toContain('60 of 24000 sessions failed since 2026-01-05T00:00:00Z (0.25 %)');
  });

  it('FORMAT: policy-fetch result types are subtracted from the failures (they are REPORTED_POLICY_FETCH_ERRORS instead)', () => {
    const advice = advise(withReports(report({ org: 'Google Inc.', day: '2026-02-03', failed: 50, details: [failure('sts-policy-fetch-error', null, 50)] })));
    expect(codes(advice)).toEqual(['REPORTED_POLICY_FETCH_ERRORS']);
    expect(advice.verdict).toBe('fix-deployment');
  });

  it('RPT-JSON-3: an unknown result type counts as a failure', () => {
    const advice = advise(withReports(report({ org: 'Google Inc.', day: '2026-02-03', failed: 50, details: [failure('certificate_name_mismatch', 'mx1.example.com', 50)] })));
    expect(codes(advice)).toEqual(['REPORTED_TLS_FAILURES']);
    expect(blocker(advice, 'REPORTED_TLS_FAILURES')?.message).toContain('certificate_name_mismatch: 50');
  });

  it('RPT-JSON-4: rates use the summary total, not the sum of failure details', () => {
    // Details claim 500 failed sessions, the summary says 2: 2 of 24402 is under the ceiling.
    const advice = advise(withReports(report({ org: 'Microsoft Corporation', day: '2026-01-20', success: 400, failed: 2, details: [failure('validation-failure', 'mx1.example.com', 500)] })));
    expect(codes(advice)).toEqual([]);
  });

  it('ROLL-6.4: a single failure naming an MX outside the policy blocks (stale MX or tampering), whatever the share', () => {
    const advice = advise(withReports(report({ org: 'Google Inc.', day: '2026-01-20', success: 400, failed: 1, details: [failure('certificate-not-trusted', 'mx.attacker.example', 1)] })));
    expect(codes(advice)).toEqual(['REPORTED_TLS_FAILURES']);
    const b = blocker(advice, 'REPORTED_TLS_FAILURES');
    expect(b?.message).toContain('mx.attacker.example, which no mx: pattern covers');
    expect(b?.evidence.uncoveredHosts).toEqual(['mx.attacker.example']);
  });

  it('REPORTED_POLICY_FETCH_ERRORS names the organization, the sessions and the result types', () => {
    const advice = advise(
      withReports(
        report({ org: 'Microsoft Corporation', day: '2026-01-10', failed: 12, details: [failure('sts-webpki-invalid', null, 12)] }),
        report({ org: 'Microsoft Corporation', day: '2026-01-11', failed: 3, details: [failure('sts-policy-invalid', null, 3)] }),
      ),
    );
    const b = blocker(advice, 'REPORTED_POLICY_FETCH_ERRORS');
    expect(b?.message).toContain('Microsoft Corporation 15 sessions (sts-webpki-invalid, sts-policy-invalid) up to 2026-01-11T23:59:59Z');
    expect(b?.evidence.sessions).toBe(15);
  });
});

describe('evidence scope: current-policy reports only', () => {
  it('FORMAT: reports for another policy domain never count, neither as evidence nor as failures', () => {
    const other = dailyReports('2026-01-05', 30, { domain: 'other.example', success: 0, failed: 400, details: [failure('certificate-expired', 'mx.other.example', 400)] });
    expect(codes(advise(testingInput(NOW, { reports: [...bothReporters('2026-01-05', 30), ...other] })))).toEqual([]);
    const onlyOther = advise(testingInput(NOW, { reports: other }));
    expect(codes(onlyOther)).toEqual(['NO_REPORTS']);
  });

  it('FORMAT: tlsa and no-policy-found entries do not gate MTA-STS', () => {
    const reports = [
      ...bothReporters('2026-01-05', 30),
      report({ org: 'Mail.ru', day: '2026-02-03', policyType: 'tlsa', lines: ['3 1 1 abcd'], success: 0, failed: 100, details: [failure('tlsa-invalid', 'mx1.example.com', 100)] }),
      report({ org: 'Small Sender', day: '2026-02-03', policyType: 'no-policy-found', success: 10 }),
    ];
    expect(codes(advise(testingInput(NOW, { reports })))).toEqual([]);
  });

  it('RPT-DEV-15: a policy-string written "version:STSv1" (no space) still echoes the current policy', () => {
    const lines = ['version:STSv1', 'mode:testing', 'mx:mx2.example.com', 'mx:MX1.example.com', 'max_age:86400'];
    const reports = [...dailyReports('2026-01-05', 30, { org: 'Google Inc.' }), ...dailyReports('2026-01-05', 30, { org: 'Yahoo', lines })];
    expect(codes(advise(testingInput(NOW, { reports })))).toEqual([]);
  });

  it('ROLL-6.2 POLICY_NOT_SEEN: an organization whose latest report echoes another policy is named', () => {
    const reports = [
      ...dailyReports('2026-01-05', 30, { org: 'Google Inc.' }),
      ...dailyReports('2026-01-05', 30, { org: 'Microsoft Corporation', policy: { mx: ['mx1.example.com'] } }),
    ];
    const advice = advise(testingInput(NOW, { reports }));
    expect(codes(advice)).toEqual(['POLICY_NOT_SEEN']);
    const b = blocker(advice, 'POLICY_NOT_SEEN');
    expect(b?.message).toContain("Microsoft Corporation's latest report (ending 2026-02-03T23:59:59Z)");
    expect(b?.evidence.organization).toBe('Microsoft Corporation');
    expect(advice.verdict).toBe('keep-testing');
  });

  it('ROLL-6.2: an organization that echoed an older policy but now echoes the current one is fine', () => {
    const reports = [
      ...dailyReports('2026-01-05', 30, { org: 'Google Inc.' }),
      ...dailyReports('2026-01-05', 3, { org: 'Microsoft Corporation', policy: { mx: ['mx1.example.com'] } }),
      ...dailyReports('2026-01-08', 27, { org: 'Microsoft Corporation' }),
    ];
    expect(codes(advise(testingInput(NOW, { reports })))).toEqual([]);
  });

  it('failures reported against an older policy are not evidence against the current one', () => {
    const reports = [
      ...bothReporters('2026-01-05', 30),
      report({ org: 'Google Inc.', day: '2026-01-20', success: 0, failed: 4000, policy: { mx: ['old.example.com'] }, details: [failure('certificate-expired', 'old.example.com', 4000)] }),
    ];
    expect(codes(advise(testingInput(NOW, { reports })))).toEqual([]);
  });

  it('reports that ended before the current id was first seen are ignored (they are about an earlier id)', () => {
    const before = dailyReports('2025-12-20', 10, { org: 'Google Inc.', success: 0, failed: 400, details: [failure('certificate-expired', 'mx2.example.com', 400)] });
    expect(codes(advise(testingInput(NOW, { reports: [...bothReporters('2026-01-05', 30), ...before] })))).toEqual([]);
  });

  it('RPT-DEV-18: a policy excluded from rates (missing count) is not evidence', () => {
    const reports = bothReporters('2026-01-05', 30, { countsTowardRates: false });
    const advice = advise(testingInput(NOW, { reports }));
    expect(codes(advice)).toContain('NO_REPORTS');
  });

  it('RPT-DEV-20: the same report received twice (mail and HTTPS) is counted once', () => {
    const burst = report({ org: 'Google Inc.', day: '2026-01-20', success: 2000, failed: 24, details: [failure('certificate-expired', 'mx2.example.com', 24)] });
    const once = advise(testingInput(NOW, { reports: [...bothReporters('2026-01-05', 30), burst] }), { perOrgWindowDays: 1 });
    // 24 of 26024 = 0.092 %: under the ceiling once; a double count (48 of 28048 = 0.171 %) would block.
    expect(codes(once)).toEqual([]);
    const twice = advise(testingInput(NOW, { reports: [...bothReporters('2026-01-05', 30), burst, { ...burst }] }), { perOrgWindowDays: 1 });
    expect(codes(twice)).toEqual([]);
  });
});

describe('NO_REPORTS', () => {
  it('FORMAT: in testing, no current-policy report since the id was first seen is NO_REPORTS (with the date)', () => {
    const advice = advise(testingInput(NOW, { reports: [] }));
    expect(codes(advice)).toEqual(['NO_REPORTS']);
    expect(blocker(advice, 'NO_REPORTS')?.message).toContain('since it was first seen live on 2026-01-05T00:00:00Z');
    expect(advice.verdict).toBe('keep-testing');
  });

  it('ROLL-6.5: in testing, reports that stopped 8 days ago are stale evidence: NO_REPORTS, not ready', () => {
    const advice = advise(testingInput(NOW, { reports: bothReporters('2026-01-05', 22) }));
    expect(codes(advice)).toEqual(['NO_REPORTS']);
    expect(blocker(advice, 'NO_REPORTS')?.message).toContain('in the last 7 days (since 2026-01-28T00:00:00Z)');
    expect(blocker(advice, 'NO_REPORTS')?.evidence.lastReportEnd).toBe('2026-01-26T23:59:59Z');
    expect(advice.verdict).toBe('keep-testing');
  });

  it('ROLL-6.5: in testing, a report that ended 6 days ago is recent enough', () => {
    expect(advise(testingInput(NOW, { reports: bothReporters('2026-01-05', 24) })).verdict).toBe('ready-to-enforce');
  });

  it('reports with zero sessions are not a heartbeat (ROLL-6.5)', () => {
    const advice = advise(testingInput(NOW, { reports: bothReporters('2026-01-05', 30, { success: 0 }) }));
    expect(codes(advice)).toEqual(['NO_REPORTS']);
  });

  it('ROLL-15: in enforce, silence for 7 days is NO_REPORTS and fix-deployment, not health', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const silent = { ...input, reports: input.reports.filter((r) => r.dateRange.end < new Date('2026-04-07T00:00:00Z')) };
    const advice = advise(silent);
    expect(codes(advice)).toEqual(['NO_REPORTS']);
    expect(blocker(advice, 'NO_REPORTS')?.message).toContain('in the last 7 days (since 2026-04-08T00:00:00Z)');
    expect(blocker(advice, 'NO_REPORTS')?.evidence.lastReportEnd).toBe('2026-04-06T23:59:59Z');
    expect(advice.verdict).toBe('fix-deployment');
  });

  it('ROLL-15: in enforce, a current-policy report 6 days ago keeps the domain healthy', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const recent = { ...input, reports: input.reports.filter((r) => r.dateRange.end < new Date('2026-04-10T00:00:00Z')) };
    expect(advise(recent).verdict).toBe('enforced-ok');
  });
});
