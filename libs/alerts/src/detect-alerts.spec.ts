import { describe, expect, it } from 'vitest';
import type { DomainSnapshot } from './alert.types.js';
import { detectAlerts } from './detect-alerts.js';

const NOW = new Date('2026-03-10T06:00:00Z');
const base: DomainSnapshot = {
  domain: 'example.com',
  now: NOW,
  previousVerdict: 'keep-testing',
  currentVerdict: 'keep-testing',
  recentFailures: [],
  knownResultTypes: [],
  knownReceivingMx: [],
  lastTwoDays: [],
  certificates: [],
  lastReportAt: new Date('2026-03-09T12:00:00Z'),
  watchedSince: new Date('2026-01-01T00:00:00Z'),
};
const rules = { baseUrl: 'https://pilot.example.net/', noReportDays: 3 };
const kinds = (s: Partial<DomainSnapshot>) => detectAlerts({ ...base, ...s }, rules).map((a) => `${a.kind} ${a.subject}`);

describe('detectAlerts', () => {
  it('a quiet, healthy domain raises nothing', () => {
    expect(detectAlerts(base, rules)).toEqual([]);
  });

  it('verdict change keep-testing -> ready-to-enforce, with the dashboard link', () => {
    const [a] = detectAlerts({ ...base, currentVerdict: 'ready-to-enforce' }, rules);
    expect(a).toEqual({
      domain: 'example.com',
      kind: 'verdict-change',
      subject: 'keep-testing->ready-to-enforce',
      message: 'The rollout verdict of example.com changed from keep-testing to ready-to-enforce.',
      evidence: { from: 'keep-testing', to: 'ready-to-enforce' },
      link: 'https://pilot.example.net/domains/example.com',
    });
  });

  it('the first advice ever is not a change', () => {
    expect(kinds({ previousVerdict: null, currentVerdict: 'start-testing' })).toEqual([]);
  });

  it('new failure class: a result type and a receiving MX never seen before, each once', () => {
    const recentFailures = [
      { resultType: 'certificate-expired', receivingMx: 'mx2.example.com', sessions: 4 },
      { resultType: 'certificate-expired', receivingMx: 'mx1.example.com', sessions: 1 },
      { resultType: 'starttls-not-supported', receivingMx: 'mx1.example.com', sessions: 2 },
    ];
    expect(kinds({ recentFailures, knownResultTypes: ['starttls-not-supported'], knownReceivingMx: ['mx1.example.com'] })).toEqual([
      'new-failure-class result-type:certificate-expired',
      'new-failure-class receiving-mx:mx2.example.com',
    ]);
    const [a] = detectAlerts({ ...base, recentFailures, knownResultTypes: ['starttls-not-supported'], knownReceivingMx: ['mx1.example.com'] }, rules);
    expect(a.evidence).toEqual({ resultType: 'certificate-expired', failedSessions: 5 });
  });

  it('failure-rate jump: 1.0% -> 12.0% over 100 sessions alerts', () => {
    const lastTwoDays = [
      { day: '2026-03-08', successful: 99, failed: 1 },
      { day: '2026-03-09', successful: 88, failed: 12 },
    ];
    const [a] = detectAlerts({ ...base, lastTwoDays }, rules);
    expect(a.kind).toBe('failure-rate-jump');
    expect(a.subject).toBe('2026-03-09');
    expect(a.evidence).toEqual({
      previousDay: '2026-03-08',
      previousRate: '1.0%',
      previousSessions: 100,
      day: '2026-03-09',
      rate: '12.0%',
      sessions: 100,
      failedSessions: 12,
    });
  });

  it('failure-rate jump: below 5 points, below doubling, or under 20 sessions does not alert', () => {
    expect(kinds({ lastTwoDays: [{ day: 'a', successful: 99, failed: 1 }, { day: 'b', successful: 96, failed: 4 }] })).toEqual([]);
    expect(kinds({ lastTwoDays: [{ day: 'a', successful: 80, failed: 20 }, { day: 'b', successful: 70, failed: 30 }] })).toEqual([]);
    expect(kinds({ lastTwoDays: [{ day: 'a', successful: 100, failed: 0 }, { day: 'b', successful: 10, failed: 9 }] })).toEqual([]);
  });

  it('RFC 8460 sts-policy-fetch-error in reports is a policy-fetch alert (and a new class)', () => {
    const recentFailures = [{ resultType: 'sts-policy-fetch-error', receivingMx: '', sessions: 7 }];
    expect(kinds({ recentFailures })).toEqual(['new-failure-class result-type:sts-policy-fetch-error', 'policy-fetch-error sts-policy-fetch-error']);
    expect(kinds({ recentFailures, knownResultTypes: ['sts-policy-fetch-error'] })).toEqual(['policy-fetch-error sts-policy-fetch-error']);
  });

  it('certificate within 14 days alerts, 14 days or more does not', () => {
    const certificates = [
      { host: 'mta-sts.example.com', notAfter: '2026-03-20T05:00:00.000Z' },
      { host: 'mx1.example.com', notAfter: '2026-03-24T06:00:00.000Z' },
      { host: 'mx2.example.com', notAfter: null },
    ];
    const out = detectAlerts({ ...base, certificates }, rules);
    expect(out.map((a) => a.subject)).toEqual(['mta-sts.example.com@2026-03-20']);
    expect(out[0].evidence).toEqual({ host: 'mta-sts.example.com', notAfter: '2026-03-20T05:00:00.000Z', daysLeft: 9 });
  });

  it('no report for ALERT_NO_REPORT_DAYS days alerts; a domain watched for less time does not', () => {
    expect(kinds({ lastReportAt: new Date('2026-03-07T06:00:00Z') })).toEqual(['no-reports since:2026-03-07T06:00:00.000Z']);
    expect(kinds({ lastReportAt: new Date('2026-03-07T06:00:01Z') })).toEqual([]);
    expect(kinds({ lastReportAt: null, watchedSince: new Date('2026-03-09T00:00:00Z') })).toEqual([]);
    expect(kinds({ lastReportAt: null })).toEqual(['no-reports since:never']);
  });
});
