import { describe, expect, it } from 'vitest';
import { buildDigest, digestText } from './digest.js';

describe('buildDigest', () => {
  it('sessions, rate, top failures by sessions, verdict and link', () => {
    const d = buildDigest(
      {
        domain: 'example.com',
        day: '2026-03-09',
        successful: 190,
        failed: 10,
        reports: 3,
        verdict: 'keep-testing',
        failures: [
          { resultType: 'starttls-not-supported', receivingMx: 'mx2.example.com', sessions: 2 },
          { resultType: 'certificate-expired', receivingMx: 'mx1.example.com', sessions: 8 },
        ],
      },
      'https://pilot.example.net',
    );
    expect(d).toEqual({
      domain: 'example.com',
      day: '2026-03-09',
      sessions: 200,
      failedSessions: 10,
      failureRate: '5.0%',
      topFailures: [
        { resultType: 'certificate-expired', receivingMx: 'mx1.example.com', sessions: 8 },
        { resultType: 'starttls-not-supported', receivingMx: 'mx2.example.com', sessions: 2 },
      ],
      verdict: 'keep-testing',
      reports: 3,
      link: 'https://pilot.example.net/domains/example.com',
    });
    expect(digestText(d)).toBe(
      [
        '[STS Pilot] Daily digest for example.com, 2026-03-09',
        'Sessions: 200 (10 failed, 5.0%) in 3 report(s)',
        'Verdict: keep-testing',
        'Top failures:',
        '• certificate-expired at mx1.example.com: 8',
        '• starttls-not-supported at mx2.example.com: 2',
        'Dashboard: https://pilot.example.net/domains/example.com',
      ].join('\n'),
    );
  });

  it('a day without sessions says n/a, not 0%', () => {
    const d = buildDigest({ domain: 'e.example', day: '2026-03-09', successful: 0, failed: 0, reports: 0, verdict: null, failures: [] }, 'http://x');
    expect([d.failureRate, d.verdict]).toEqual(['n/a', 'no advice yet']);
  });
});
