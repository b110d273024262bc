import { describe, expect, it } from 'vitest';
import { breakdownFromApi, dailySeries, dayAxis, failureBreakdown, seriesFromApi, summarizeDomains, type ReportDetail, type ReportListItem } from './evidence.js';

const item = (id: number, domains: string[], day: string, ok: number, failed: number, receivedAt = `${day}T12:00:00.000Z`): ReportListItem => ({
  id, organization: 'Google Inc.', reportId: `r${id}`, dateRange: { start: `${day}T00:00:00.000Z`, end: `${day}T23:59:59.000Z` },
  policyDomains: domains, successfulSessions: ok, failedSessions: failed, receivedAt,
});

describe('summarizeDomains', () => {
  it('per-domain totals, last report and a 14-day daily failure share with gaps for silent days', () => {
    const rows = summarizeDomains([item(1, ['Example.com'], '2026-11-20', 90, 10), item(2, ['example.com'], '2026-11-22', 100, 0, '2026-11-23T01:00:00.000Z')], '2026-11-23', 4);
    expect(rows).toEqual([{ domain: 'example.com', reports: 2, successful: 190, failed: 10, lastReportAt: '2026-11-23T01:00:00.000Z', daily: [0.1, null, 0, null] }]);
  });
  it('dayAxis ends today', () => {
    expect(dayAxis('2026-03-01', 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

const detail = (org: string | null, day: string, policies: ReportDetail['policies']): ReportDetail => ({
  id: 1, organization: org, dateRange: { start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z` }, receivedAt: `${day}T12:00:00Z`, policies,
});
const failure = (resultType: string, n: number, mx: string | null = 'mx1.example.com') => ({ resultType, failedSessionCount: n, sendingMtaIp: '192.0.2.1', receivingIp: null, receivingMxHostname: mx });

describe('dailySeries', () => {
  it('splits failures by result type; summary failures the details do not list count as "unspecified" (RFC 8460 §4.4)', () => {
    const s = dailySeries([
      detail('A', '2026-11-02', [{ policyType: 'sts', policyDomain: 'example.com', successfulSessions: 100, failedSessions: 7, failures: [failure('certificate-expired', 5)] }]),
      detail('B', '2026-11-01', [
        { policyType: 'sts', policyDomain: 'EXAMPLE.com', successfulSessions: 50, failedSessions: 1, failures: [failure('starttls-not-supported', 1)] },
        { policyType: 'sts', policyDomain: 'other.example', successfulSessions: 999, failedSessions: 9, failures: [failure('validation-failure', 9)] },
      ]),
    ], 'example.com');
    expect(s).toEqual({
      days: ['2026-11-01', '2026-11-02'],
      successful: [50, 100],
      failedByType: { 'certificate-expired': [0, 5], 'starttls-not-supported': [1, 0], unspecified: [0, 2] },
    });
  });
});

describe('failureBreakdown', () => {
  const details = [
    detail('Google Inc.', '2026-11-01', [{ policyType: 'sts', policyDomain: 'example.com', successfulSessions: 0, failedSessions: 4, failures: [failure('certificate-expired', 3), failure('certificate-expired', 1, null)] }]),
    detail(null, '2026-11-02', [{ policyType: 'sts', policyDomain: 'example.com', successfulSessions: 0, failedSessions: 4, failures: [failure('starttls-not-supported', 4)] }]),
  ];
  it('by receiving MX, largest first, with shares of all failed sessions; missing values are named', () => {
    expect(failureBreakdown(details, 'example.com', 'receivingMx')).toEqual([
      { key: 'mx1.example.com', sessions: 7, share: 0.875 },
      { key: '(not reported)', sessions: 1, share: 0.125 },
    ]);
  });
  it('by organization and by result type', () => {
    expect(failureBreakdown(details, 'example.com', 'organization').map((r) => [r.key, r.sessions])).toEqual([['(not reported)', 4], ['Google Inc.', 4]]); // ties by name
    expect(failureBreakdown(details, 'example.com', 'resultType').map((r) => [r.key, r.sessions])).toEqual([['certificate-expired', 4], ['starttls-not-supported', 4]]);
  });
  it('another domain has no failures here', () => {
    expect(failureBreakdown(details, 'other.example', 'resultType')).toEqual([]);
  });
});

describe('dashboard API adapters', () => {
  const day = (d: string, ok: number, failed: number, types: Record<string, number> = {}) => ({ day: d, successfulSessions: ok, failedSessions: failed, failureRate: ok + failed ? failed / (ok + failed) : null, failuresByResultType: types });
  it('drops days before the first report, and a silent day is a gap, never "0 failures"', () => {
    const s = seriesFromApi([day('2026-11-01', 0, 0), day('2026-11-02', 100, 3, { 'certificate-expired': 2 }), day('2026-11-03', 0, 0), day('2026-11-04', 50, 0)]);
    expect(s).toEqual({
      days: ['2026-11-02', '2026-11-03', '2026-11-04'],
      successful: [100, null, 50],
      failedByType: { 'certificate-expired': [2, null, 0], unspecified: [1, null, 0] },
    });
  });
  it('a period without any sessions has no days', () => {
    expect(seriesFromApi([day('2026-11-01', 0, 0)])).toEqual({ days: [], successful: [], failedByType: {} });
  });
  it('breakdown rows name a value the reports did not give', () => {
    expect(breakdownFromApi([{ value: 'mx1.example.com', failedSessions: 3, share: 0.75 }, { value: null, failedSessions: 1, share: 0.25 }])).toEqual([
      { key: 'mx1.example.com', sessions: 3, share: 0.75 },
      { key: '(not reported)', sessions: 1, share: 0.25 },
    ]);
  });
});
