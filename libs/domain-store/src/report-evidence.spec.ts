import { describe, expect, it } from 'vitest';
import { evidenceNote, selectEvidence } from './report-evidence.js';

function reportText(id: string, day: string): string {
  return JSON.stringify({
    'organization-name': 'Google Inc.',
    'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
    'contact-info': 'smtp-tls-reporting@google.com',
    'report-id': id,
    policies: [
      {
        policy: { 'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.example.com', 'max_age: 86400'], 'policy-domain': 'example.com' },
        summary: { 'total-successful-session-count': 10, 'total-failure-session-count': 0 },
      },
    ],
  });
}

const now = new Date('2025-03-10T12:00:00Z');

describe('selectEvidence', () => {
  it('REQUIRE_DKIM_FOR_EVIDENCE=true: only authenticated reports count', () => {
    const e = selectEvidence(
      [
        { id: 1, text: reportText('a', '2025-03-01'), authenticated: true },
        { id: 2, text: reportText('b', '2025-03-02'), authenticated: false },
      ],
      { requireDkim: true, now },
    );
    expect(e.reports.map((r) => r.reportId)).toEqual(['a']);
    expect(e).toMatchObject({ considered: 2, unauthenticated: 1, future: 0, unparsable: 0 });
    expect(evidenceNote(e, true)).toBe(
      '1 of 2 stored report(s) for this domain count as evidence. 1 report(s) without an aligned DKIM signature were left out (REQUIRE_DKIM_FOR_EVIDENCE=true).',
    );
  });

  it('REQUIRE_DKIM_FOR_EVIDENCE=false: unsigned reports count, and the note says so', () => {
    const e = selectEvidence([{ id: 2, text: reportText('b', '2025-03-02'), authenticated: false }], { requireDkim: false, now });
    expect(e.reports).toHaveLength(1);
    expect(evidenceNote(e, false)).toContain('whether or not they are DKIM-authenticated (REQUIRE_DKIM_FOR_EVIDENCE=false)');
  });

  it('a report starting after now (the service clock) is left out; one that no longer parses too', () => {
    const e = selectEvidence(
      [
        { id: 1, text: reportText('late', '2025-03-11'), authenticated: true },
        { id: 2, text: '{"not": "a report"}', authenticated: true },
      ],
      { requireDkim: true, now },
    );
    expect(e).toMatchObject({ reports: [], considered: 2, future: 1, unparsable: 1 });
  });
});
