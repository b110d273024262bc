// The live check's `observed` feeds the rollout engine directly (FORMAT.md `observed`).
import { advise, type Observed as RolloutObserved } from '@app/rollout';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from './check-domain.js';
import { createTestCa, startFixtureDeployment, testingPolicy, type DeploymentOptions, type TestCa } from './testing/index.js';

const D = 'example.test';
const NOW = new Date('2026-11-23T10:00:00Z');

describe('CheckResult.observed is the rollout engine input', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = createTestCa();
  });

  async function adviceFor(opts: Partial<DeploymentOptions>, smtpTimeoutMs?: number) {
    const dep = await startFixtureDeployment({ domain: D, mx: [{ host: 'mx1.example.test' }, { host: 'mx2.example.test' }], ca, ...opts });
    try {
      const r = await checkDomain(D, { ...dep.options, smtpTimeoutMs: smtpTimeoutMs ?? dep.options.smtpTimeoutMs });
      const observed: RolloutObserved = r.observed;
      return advise({ now: NOW, domain: D, published: [], observed, reports: [] });
    } finally {
      await dep.stop();
    }
  }

  it('a clean testing deployment has no deployment blocker: keep-testing for time and reports only', async () => {
    const a = await adviceFor({});
    expect(a.state).toBe('testing');
    expect(a.verdict).toBe('keep-testing');
    expect(a.blockers.map((b) => b.code).sort()).toEqual(['NO_REPORTS', 'TESTING_TOO_SHORT']);
  });

  it('CHK-14: an expired backup MX certificate found live blocks enforcement in the engine too', async () => {
    const a = await adviceFor({ mx: [{ host: 'mx1.example.test' }, { host: 'mx2.example.test', cert: 'expired' }] });
    expect(a.blockers.map((b) => b.code)).toContain('MX_TLS_FAILED');
    expect(a.verdict).not.toBe('ready-to-enforce');
  });

  it('CHK-7: a live redirect is POLICY_FETCH_FAILED for the engine', async () => {
    const a = await adviceFor({ policyResponse: { status: 301, location: `https://www.${D}/.well-known/mta-sts.txt`, contentType: 'text/html', body: 'moved' } });
    expect(a.blockers.map((b) => b.code)).toContain('POLICY_FETCH_FAILED');
  });

  it('a silent MX is MX_PROBE_INCONCLUSIVE for the engine, never MX_TLS_FAILED', async () => {
    const a = await adviceFor({ mx: [{ host: 'mx1.example.test' }, { host: 'mx2.example.test', behaviour: 'silent' }], policyBody: testingPolicy(['mx1.example.test', 'mx2.example.test']) }, 500);
    const codes = a.blockers.map((b) => b.code);
    expect(codes).toContain('MX_PROBE_INCONCLUSIVE');
    expect(codes).not.toContain('MX_TLS_FAILED');
  });
});
