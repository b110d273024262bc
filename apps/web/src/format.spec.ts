import { describe, expect, it } from 'vitest';
import { failureRate, formatRate, formatTime, isDomainName, sampleReport, sparklinePath, stack, swaksCommand, tlsRptRecord, verdictBadge } from './format.js';

describe('verdictBadge', () => {
  it('ROLL-5: keep-testing names the days served of the days required', () => {
    const advice = { verdict: 'keep-testing', blockers: [{ code: 'TESTING_TOO_SHORT', evidence: { elapsedDays: 6.75, requiredDays: 14 } }] };
    expect(verdictBadge(advice)).toEqual({ label: 'keep testing: 6 of 14 days', tone: 'warn' });
  });
  it('keep-testing for another reason keeps the plain label', () => {
    expect(verdictBadge({ verdict: 'keep-testing', blockers: [{ code: 'NO_REPORTS' }] })).toEqual({ label: 'keep testing', tone: 'warn' });
  });
  it('ready-to-enforce is the only testing verdict shown as good', () => {
    expect(verdictBadge({ verdict: 'ready-to-enforce', blockers: [] })).toEqual({ label: 'ready to enforce', tone: 'good' });
    expect(verdictBadge({ verdict: 'rollback' }).tone).toBe('bad');
    expect(verdictBadge({ verdict: 'fix-deployment' }).tone).toBe('bad');
  });
  it('no advice is "no advice yet", never a healthy tone', () => {
    expect(verdictBadge(null)).toEqual({ label: 'no advice yet', tone: 'unknown' });
    expect(verdictBadge({})).toEqual({ label: 'no advice yet', tone: 'unknown' });
  });
  it('an unknown verdict from a newer server is shown verbatim, neutral', () => {
    expect(verdictBadge({ verdict: 'something-new' })).toEqual({ label: 'something-new', tone: 'unknown' });
  });
});

describe('failure rates', () => {
  it('no sessions is no rate (not 0 %)', () => {
    expect(failureRate(0, 0)).toBeNull();
    expect(formatRate(null)).toBe('no sessions');
  });
  it('formats small and large shares', () => {
    expect(formatRate(failureRate(999, 1))).toBe('0.10 %');
    expect(formatRate(failureRate(6050, 15))).toBe('0.25 %');
    expect(formatRate(failureRate(1_000_000, 1))).toBe('< 0.01 %');
    expect(formatRate(failureRate(1, 3))).toBe('75.0 %');
    expect(formatRate(0)).toBe('0 %');
  });
});

describe('sparklinePath', () => {
  it('days without sessions break the line instead of drawing zero', () => {
    expect(sparklinePath([0.5, null, 1, 0], 30, 12)).toBe('M0.0,6.0M20.0,1.0L30.0,11.0');
  });
  it('nothing to draw without data', () => {
    expect(sparklinePath([null, null], 100, 20)).toBe('');
  });
});

describe('stack', () => {
  it('running sums bottom-up', () => {
    expect(stack([[1, 2], [3, 4], [0, 1]])).toEqual([[1, 2], [4, 6], [4, 7]]);
  });
});

describe('getting-started records', () => {
  it('RPT-TXT: the TLS-RPT record for the domain points at this service', () => {
    expect(tlsRptRecord('example.com', 'tlsrpt@sts.example.net')).toBe('_smtp._tls.example.com. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net"');
  });
  it('the sample report is a minimal RFC 8460 report for the domain and day', () => {
    const r = JSON.parse(sampleReport('example.com', '2026-11-23'));
    expect(r['date-range']).toEqual({ 'start-datetime': '2026-11-23T00:00:00Z', 'end-datetime': '2026-11-23T23:59:59Z' });
    expect(r.policies[0].policy).toEqual({ 'policy-type': 'no-policy-found', 'policy-domain': 'example.com' });
  });
  it('the swaks command sends report.json as application/tlsrpt+json with the RFC 8460 headers', () => {
    const cmd = swaksCommand({ to: 'tlsrpt@sts.example.net', server: 'sts.example.net:25', domain: 'example.com' });
    expect(cmd.split(' \\\n')).toEqual([
      'swaks --to tlsrpt@sts.example.net --server sts.example.net:25',
      '  --header "Subject: Report Domain: example.com Submitter: sender.example Report-ID: <test@sender.example>"',
      '  --header "TLS-Report-Domain: example.com" --header "TLS-Report-Submitter: sender.example"',
      '  --attach-type application/tlsrpt+json --attach-name report.json --attach @report.json',
    ]);
  });
});

describe('small formatters', () => {
  it('times are shown in UTC', () => {
    expect(formatTime('2024-01-02T10:00:59.000Z')).toBe('2024-01-02 10:00 UTC');
    expect(formatTime(null)).toBe('—');
  });
  it('domain names', () => {
    expect(isDomainName('mail.example.com')).toBe(true);
    expect(isDomainName('example')).toBe(false);
    expect(isDomainName('-bad.example.com')).toBe(false);
    expect(isDomainName('a b.com')).toBe(false);
  });
});

describe('stack with gaps', () => {
  it('a day without data stays a gap in every band', () => {
    expect(stack([[1, null], [2, null]])).toEqual([[1, null], [3, null]]);
  });
});
