import { describe, expect, it } from 'vitest';
import { formatAdviceText } from './advice-text.js';
import { advise } from './advise.js';
import { describeNextStep } from './next-steps.js';
import { at, cleanProbe, DOMAIN, enforceInput, failure, MX, observed, published, START, ID, bothReporters, testingInput } from './testing/rollout-builders.js';

const indexOf = (steps: string[], text: string) => steps.findIndex((s) => s.includes(text));

describe('describeNextStep', () => {
  it('STS-FET-4: ready-to-enforce serves the new body first, then publishes the TXT id', () => {
    const advice = advise(testingInput('2026-02-04T00:00:00Z'));
    const steps = describeNextStep(advice, DOMAIN);
    const body = indexOf(steps, 'Serve this policy at https://mta-sts.example.com/.well-known/mta-sts.txt');
    const txt = indexOf(steps, 'publish TXT _mta-sts.example.com: "v=STSv1; id=20260204000000"');
    expect(body).toBeGreaterThanOrEqual(0);
    expect(txt).toBe(body + 1);
    expect(steps[body]).toContain('mode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800');
    expect(steps.join('\n')).toContain('ROLL-8');
  });

  it('start-testing publishes the TLS-RPT record before the policy', () => {
    const advice = advise({
      now: at('2026-01-05T00:00:00Z'),
      domain: DOMAIN,
      published: [],
      observed: observed({}, { mtaStsTxt: [], tlsrptTxt: [], policyFetch: { status: 404, contentType: null, redirected: false, certValid: true, body: '' } }),
      reports: [],
    });
    const steps = describeNextStep(advice, DOMAIN);
    expect(steps[0]).toBe('Publish TXT _smtp._tls.example.com: "v=TLSRPTv1; rua=mailto:tlsrpt@localhost".');
    expect(steps[1]).toMatch(/^Serve this policy/);
    expect(steps[2]).toBe('Only after the new body is served, publish TXT _mta-sts.example.com: "v=STSv1; id=20260105000000" (body first, then the id: STS-FET-4).');
  });

  it('ROLL-12: rollback says fixing the certificate is faster, names the host, and warns about cached max_age', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const failing = bothReporters('2026-03-10', 6, { policy: { mode: 'enforce', maxAge: 604800 }, failed: 300, details: [failure('certificate-host-mismatch', 'mx1.example.com', 300)] });
    const advice = advise({ ...input, reports: [...input.reports, ...failing] });
    expect(advice.verdict).toBe('rollback');
    const steps = describeNextStep(advice, DOMAIN);
    expect(steps[0]).toBe(
      'Fixing the certificate or STARTTLS on mx1.example.com is faster than a rollback: senders keep the cached enforce policy for up to its max_age (ROLL-12).',
    );
    expect(indexOf(steps, 'mode: testing')).toBeLessThan(indexOf(steps, 'publish TXT _mta-sts.example.com'));
    expect(steps.join('\n')).toContain('keep enforcing until their cached max_age expires');
  });

  it('ROLL-10: update-mx goes union → wait the old max_age → switch DNS → prune', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const dnsMx = [...MX, 'mx3.example.com'];
    const advice = advise({ ...input, observed: { ...input.observed, mx: dnsMx, mxProbes: dnsMx.map(cleanProbe) } });
    const steps = describeNextStep(advice, DOMAIN);
    const union = indexOf(steps, 'Step 1 (ROLL-10');
    const body = indexOf(steps, 'Serve this policy');
    const txt = indexOf(steps, 'publish TXT _mta-sts.example.com');
    const wait = indexOf(steps, 'Step 2: wait at least 604800 s (7 days)');
    const change = indexOf(steps, 'Step 3: only then switch the MX records');
    const prune = indexOf(steps, 'Step 4:');
    expect([union, body, txt, wait, change, prune]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(steps[0]).toContain('mx3.example.com');
    expect(steps[body]).toContain('mx: mx3.example.com');
  });

  it('fix-deployment for an id that was not bumped: republish the same body under a new id', () => {
    const withBackup = { mx: [...MX, 'backup.example.net'] };
    const advice = advise(
      testingInput('2026-02-04T00:00:00Z', {
        published: [published(START, ID), published('2026-01-25T00:00:00Z', ID, withBackup)],
        observed: observed(withBackup),
      }),
    );
    const steps = describeNextStep(advice, DOMAIN);
    expect(steps[0]).toMatch(/^Serve this policy/);
    expect(steps[0]).toContain('mx: backup.example.net');
    expect(steps[1]).toContain(`publish TXT _mta-sts.example.com: "${advice.proposed?.txt}"`);
  });

  it('fix-deployment lists the fix for each deployment blocker with the exact record name', () => {
    const advice = advise(testingInput('2026-02-04T00:00:00Z', { observed: observed({}, { tlsrptTxt: [], mtaStsTxt: [] }) }));
    expect(describeNextStep(advice, DOMAIN)).toEqual([
      'Publish exactly one valid TXT record at _mta-sts.example.com of the form "v=STSv1; id=<1-32 letters or digits>".',
      'Publish one TLS-RPT record at _smtp._tls.example.com so that senders report TLS results.',
      'Run the check again after the fix (a new id restarts the clock of the gates).',
    ]);
  });

  it('ROLL-14: retire-wait names the time; safe-to-remove deletes the TXT before the policy host', () => {
    const base = {
      domain: DOMAIN,
      published: [published('2026-02-14T00:00:00Z', 'e1', { mode: 'enforce', maxAge: 604800 }), published('2026-04-15T00:00:00Z', 'n1', { mode: 'none' })],
      observed: observed({ id: 'n1', mode: 'none' }),
      reports: [],
    };
    const wait = describeNextStep(advise({ ...base, now: at('2026-04-18T00:00:00Z') }), DOMAIN);
    expect(wait[0]).toContain('until 2026-04-22T00:00:00Z (ROLL-14)');
    const remove = describeNextStep(advise({ ...base, now: at('2026-04-23T00:00:00Z') }), DOMAIN);
    expect(remove[0]).toBe(
      'Every cached policy has expired (2026-04-22T00:00:00Z): delete the _mta-sts.example.com TXT record, then stop serving mta-sts.example.com.',
    );
  });

  it('keep-testing names what to wait for or fix; enforced-ok without a proposal has nothing to change', () => {
    const waiting = describeNextStep(advise(testingInput('2026-01-11T00:00:00Z')), DOMAIN);
    expect(waiting).toEqual([
      'Keep the current testing policy live until the minimum testing period has passed.',
      'Keep mode: testing live and run the check again.',
    ]);
    const ok = describeNextStep(advise(enforceInput('2026-02-20T00:00:00Z')), DOMAIN);
    expect(ok).toEqual(['Nothing to change. Keep the checks and report collection running (certificate expiry, MX drift).']);
  });

  it('ROLL-9: enforced-ok with a proposal raises max_age, body first then id', () => {
    const steps = describeNextStep(advise(enforceInput('2026-04-15T00:00:00Z')), DOMAIN);
    expect(steps[0]).toBe('Enforce has been clean: raise max_age to 1209600 s (14 days) with a new id (ROLL-9).');
    expect(steps[1]).toContain('max_age: 1209600');
    expect(steps[2]).toContain('"v=STSv1; id=20260415000000"');
  });

  it('formatAdviceText shows state, verdict, blockers, the proposed records and numbered steps', () => {
    const text = formatAdviceText(advise(testingInput('2026-02-04T00:00:00Z')), DOMAIN);
    expect(text).toContain('State:   testing\nVerdict: ready-to-enforce');
    expect(text).toContain('Blockers: none');
    expect(text).toContain('  TXT _mta-sts.example.com: v=STSv1; id=20260204000000');
    expect(text).toContain('    mode: enforce');
    expect(text).toMatch(/\n {2}1\. Serve this policy/);
  });
});
