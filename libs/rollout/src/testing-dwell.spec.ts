import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import { bothReporters, ID, observed, plusDays, published, START, testingInput } from './testing/rollout-builders.js';

const codes = (a: { blockers: { code: string }[] }) => a.blockers.map((b) => b.code);
const nowAfterDays = (days: number) => plusDays(START, days).toISOString();

describe('ROLL-5 testing dwell (TESTING_TOO_SHORT)', () => {
  it('ROLL-5: 13.99 days is too short and the message says "13.9 of 14 days"', () => {
    const advice = advise(testingInput(nowAfterDays(13.99)));
    expect(advice.verdict).toBe('keep-testing');
    const blocker = advice.blockers.find((b) => b.code === 'TESTING_TOO_SHORT');
    expect(blocker?.message).toContain('13.9 of 14 days');
    expect(blocker?.message).toContain(ID);
    expect(blocker?.evidence).toMatchObject({ id: ID, since: START, requiredDays: 14, minTestingDays: 14 });
  });

  it('ROLL-5: exactly 14 days passes the dwell gate', () => {
    const advice = advise(testingInput(nowAfterDays(14)));
    expect(codes(advice)).toEqual([]);
    expect(advice.verdict).toBe('ready-to-enforce');
  });

  it('ROLL-5: 15 days passes the dwell gate', () => {
    expect(advise(testingInput(nowAfterDays(15))).verdict).toBe('ready-to-enforce');
  });

  it('scenario 03: 6 days of clean testing reads "6 of 14 days"', () => {
    const advice = advise(testingInput('2026-01-11T00:00:00Z'));
    expect(codes(advice)).toEqual(['TESTING_TOO_SHORT']);
    expect(advice.blockers[0].message).toContain('6 of 14 days');
  });

  it('ROLL-5: a testing max_age above 14 days extends the dwell to max_age (15 days for 1296000 s)', () => {
    const spec = { maxAge: 1296000 };
    const base = {
      published: [published(START, ID, spec)],
      observed: observed(spec),
    };
    const at14 = advise(testingInput(nowAfterDays(14.5), { ...base, reports: bothReporters('2026-01-05', 14, { policy: spec }) }));
    const dwell = at14.blockers.find((b) => b.code === 'TESTING_TOO_SHORT');
    expect(dwell?.message).toContain('14.5 of 15 days');
    expect(dwell?.message).toContain('max_age of 1296000 s');
    expect(dwell?.evidence.requiredDays).toBe(15);

    const at15 = advise(testingInput(nowAfterDays(15), { ...base, reports: bothReporters('2026-01-05', 15, { policy: spec }) }));
    expect(codes(at15)).toEqual([]);
    expect(at15.verdict).toBe('ready-to-enforce');
  });

  it('minTestingDays is a setting: 21 days asked, 20 served is too short', () => {
    const advice = advise(testingInput(nowAfterDays(20)), { minTestingDays: 21 });
    expect(advice.blockers.find((b) => b.code === 'TESTING_TOO_SHORT')?.message).toContain('20 of 21 days');
  });

  it('the dwell runs from the last id change, not from the first policy ever seen', () => {
    const input = testingInput('2026-02-04T00:00:00Z', {
      published: [published(START, ID), published('2026-01-30T00:00:00Z', 'newid2', { mx: [...['mx1.example.com', 'mx2.example.com'], 'mx3.example.com'] })],
      observed: observed({ id: 'newid2', mx: ['mx1.example.com', 'mx2.example.com', 'mx3.example.com'] }),
    });
    const dwell = advise(input).blockers.find((b) => b.code === 'TESTING_TOO_SHORT');
    expect(dwell?.message).toContain('5 of 14 days');
    expect(dwell?.evidence.since).toBe('2026-01-30T00:00:00Z');
  });
});
