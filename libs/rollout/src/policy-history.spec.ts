import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import { checkIdBumped, readPublished, removalTime, resolveCurrent } from './policy-history.js';
import { at, bothReporters, DOMAIN, ID, MX, observed, published, START, testingInput } from './testing/rollout-builders.js';
import type { Advice } from './rollout.types.js';

const codes = (a: Advice) => a.blockers.map((b) => b.code);
const WITH_BACKUP = { mx: [...MX, 'backup.example.net'] };

describe('POLICY_ID_NOT_BUMPED (STS-FET-2, CHK-1, ROLL-2)', () => {
  it('scenario 07: the body gained an MX under the same id: fix-deployment, the same body under a new id', () => {
    const input = testingInput('2026-02-04T00:00:00Z', {
      published: [published(START, ID), published('2026-01-25T00:00:00Z', ID, WITH_BACKUP)],
      observed: observed({ ...WITH_BACKUP }),
    });
    const advice = advise(input);
    const b = advice.blockers.find((x) => x.code === 'POLICY_ID_NOT_BUMPED');
    expect(b?.message).toContain(`changed on 2026-01-25T00:00:00Z while the _mta-sts TXT id stayed ${ID}`);
    expect(b?.evidence).toMatchObject({ id: ID, previousMx: MX, currentMx: WITH_BACKUP.mx });
    expect(advice.verdict).toBe('fix-deployment');
    expect(advice.proposed?.mx).toEqual(WITH_BACKUP.mx);
    expect(advice.proposed?.mode).toBe('testing');
    expect(advice.proposed?.id).not.toBe(ID);
  });

  it('FORMAT: bodies are compared parsed and normalized, never as bytes (CRLF, order, case of mx)', () => {
    const same = { at: at('2026-01-20T00:00:00Z'), txt: `v=STSv1; id=${ID}`, policy: 'mode: testing\r\nmx: MX2.example.com\r\nversion: STSv1\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n' };
    const advice = advise(testingInput('2026-02-04T00:00:00Z', { published: [published(START, ID), same] }));
    expect(codes(advice)).toEqual([]);
  });

  it('ROLL-2: a body served ahead of its new id is pending for 48 h, then reported', () => {
    const history = readPublished([published(START, ID), published('2026-02-03T00:00:00Z', ID, WITH_BACKUP)]);
    expect(checkIdBumped(history, ID, at('2026-02-04T23:59:59Z'), 48)).toBeNull();
    expect(checkIdBumped(history, ID, at('2026-02-05T00:00:00Z'), 48)?.code).toBe('POLICY_ID_NOT_BUMPED');
  });

  it('a change under an id that is no longer live is history, not a blocker', () => {
    const history = readPublished([published(START, 'old1'), published('2026-01-10T00:00:00Z', 'old1', WITH_BACKUP), published('2026-01-12T00:00:00Z', ID, WITH_BACKUP)]);
    expect(checkIdBumped(history, ID, at('2026-02-04T00:00:00Z'), 48)).toBeNull();
  });

  it('a live body that differs from the log under the same id is appended at now (and pending until the deadline)', () => {
    const logged = readPublished([published(START, ID)]);
    const live = readPublished([published('2026-02-04T00:00:00Z', ID, WITH_BACKUP)])[0];
    const { history, current } = resolveCurrent(logged, ID, live.policy, at('2026-02-04T00:00:00Z'));
    expect(history.map((e) => e.at.toISOString())).toEqual(['2026-01-05T00:00:00.000Z', '2026-02-04T00:00:00.000Z']);
    expect(current.firstSeen.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(checkIdBumped(history, ID, at('2026-02-04T00:00:00Z'), 48)).toBeNull();
  });
});

describe('first registration and timers', () => {
  it('FORMAT: with an empty published log, timers run from now (testing: too short, no reports yet)', () => {
    const advice = advise({ ...testingInput('2026-02-04T00:00:00Z'), published: [] });
    expect(advice.state).toBe('testing');
    expect(codes(advice)).toEqual(['TESTING_TOO_SHORT', 'NO_REPORTS']);
    expect(advice.blockers[0].message).toContain('0 of 14 days (since 2026-02-04T00:00:00Z)');
  });

  it('an existing enforce deployment first registered is never advised back to start-testing', () => {
    const advice = advise({
      now: at('2026-02-04T00:00:00Z'),
      domain: DOMAIN,
      published: [],
      observed: observed({ id: 'live1', mode: 'enforce', maxAge: 604800 }),
      reports: bothReporters('2026-01-05', 30, { policy: { mode: 'enforce', maxAge: 604800 } }),
    });
    expect(advice.state).toBe('enforce');
    expect(advice.verdict).not.toBe('start-testing');
    // Reports from before registration are not evidence for a policy first seen now.
    expect(advice.verdict).toBe('fix-deployment');
    expect(codes(advice)).toEqual(['NO_REPORTS']);
  });

  it('an unknown live id (CHK-2) restarts the clock at now', () => {
    const advice = advise(testingInput('2026-02-04T00:00:00Z', { observed: observed({ id: 'handedited1' }) }));
    expect(codes(advice)).toEqual(['TESTING_TOO_SHORT', 'NO_REPORTS']);
  });
});

describe('ROLL-14 removal time', () => {
  it('ROLL-14: the latest of (last live + max_age) over every policy, not just the last one', () => {
    const history = readPublished([
      published(START, 'a1', { mode: 'enforce', maxAge: 2592000 }), // 30 days, live until 2026-02-01
      published('2026-02-01T00:00:00Z', 'a2', { mode: 'enforce', maxAge: 604800 }), // live until 2026-02-10
      published('2026-02-10T00:00:00Z', 'a3', { mode: 'none', maxAge: 86400 }),
    ]);
    // a1: 2026-02-01 + 30 d = 2026-03-03 beats a2: 2026-02-10 + 7 d = 2026-02-17.
    expect(removalTime(history, at('2026-02-12T00:00:00Z')).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('scenario 11: enforce replaced by none on 2026-04-15 with a one-week max_age: retire-wait until 2026-04-22', () => {
    const advice = advise({
      now: at('2026-04-18T00:00:00Z'),
      domain: DOMAIN,
      published: [
        published(START, ID),
        published('2026-02-14T00:00:00Z', '20260214T000000', { mode: 'enforce', maxAge: 604800 }),
        published('2026-04-15T00:00:00Z', '20260415T000000', { mode: 'none' }),
      ],
      observed: observed({ id: '20260415T000000', mode: 'none' }),
      reports: [],
    });
    expect(advice).toEqual({ state: 'retiring', verdict: 'retire-wait', blockers: [], proposed: null, removeAfter: '2026-04-22T00:00:00Z' });
  });

  it('ROLL-14: at the removal time it is safe to remove', () => {
    const advice = advise({
      now: at('2026-04-22T00:00:00Z'),
      domain: DOMAIN,
      published: [
        published('2026-02-14T00:00:00Z', '20260214T000000', { mode: 'enforce', maxAge: 604800 }),
        published('2026-04-15T00:00:00Z', '20260415T000000', { mode: 'none' }),
      ],
      observed: observed({ id: '20260415T000000', mode: 'none' }),
      reports: [],
    });
    expect(advice.verdict).toBe('safe-to-remove');
    expect(advice.removeAfter).toBe('2026-04-22T00:00:00Z');
  });

  it('ROLL-14: a failing policy host during retirement falls back to the log and does not move the time', () => {
    const advice = advise({
      now: at('2026-04-30T00:00:00Z'),
      domain: DOMAIN,
      published: [published('2026-02-14T00:00:00Z', '20260214T000000', { mode: 'enforce', maxAge: 604800 }), published('2026-04-15T00:00:00Z', '20260415T000000', { mode: 'none' })],
      observed: observed({ id: '20260415T000000', mode: 'none' }, { policyFetch: { status: 503, contentType: 'text/html', redirected: false, certValid: true, body: '' } }),
      reports: [],
    });
    // The last logged entry is the none policy itself, so the enforce one stopped on 2026-04-15.
    expect(advice.verdict).toBe('safe-to-remove');
    expect(advice.removeAfter).toBe('2026-04-22T00:00:00Z');
  });
});
