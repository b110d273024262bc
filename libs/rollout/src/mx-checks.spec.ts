import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import { certNameMatches, checkMx, classifyProbe } from './mx-checks.js';
import { cleanProbe, enforceInput, MX, observed, testingInput } from './testing/rollout-builders.js';
import type { Advice, MxProbe } from './rollout.types.js';

const NOW = '2026-02-04T00:00:00Z';
const codes = (a: Advice) => a.blockers.map((b) => b.code);

describe('MX_INVALID', () => {
  it.each([
    [[], 'DNS has no MX record for example.com'],
    [['.'], 'example.com publishes a null MX (0 .)'],
    [['192.0.2.25'], 'names the IP address 192.0.2.25'],
    [['mx1.example.com', '2001:db8::25'], 'names the IP address 2001:db8::25'],
  ])('FORMAT: DNS MX %j is MX_INVALID and no policy is proposed', (mx, text) => {
    const result = checkMx('example.com', mx, [], MX);
    expect(result.mxInvalid).toBe(true);
    expect(result.blockers.map((b) => b.code)).toEqual(['MX_INVALID']);
    expect(result.blockers[0].message).toContain(text);
  });

  it('FORMAT: MX_INVALID in testing is a deployment blocker without proposal', () => {
    const advice = advise(testingInput(NOW, { observed: observed({}, { mx: ['.'], mxProbes: [] }) }));
    expect(codes(advice)).toEqual(['MX_INVALID']);
    expect(advice.verdict).toBe('fix-deployment');
    expect(advice.proposed).toBeNull();
  });
});

describe('MX_NOT_COVERED (STS-POL-13, CHK-5)', () => {
  it('STS-POL-13: *.example.com covers mail.example.com but not a.b.example.com', () => {
    const result = checkMx('example.com', ['mail.example.com', 'a.b.example.com'], [cleanProbe('mail.example.com'), cleanProbe('a.b.example.com')], ['*.example.com']);
    expect(result.uncovered).toEqual(['a.b.example.com']);
    expect(result.blockers.map((b) => b.message)).toEqual([
      'DNS MX a.b.example.com matches no mx: pattern of the live policy (*.example.com); enforcing senders would refuse to deliver to it.',
    ]);
  });

  it('host names from DNS are compared without case and trailing dot', () => {
    expect(checkMx('example.com', ['MX1.Example.com.', 'mx2.example.com'], MX.map(cleanProbe), MX).blockers).toEqual([]);
  });

  it('scenario 05: an uncovered backup MX in testing: keep-testing with the union, only for a clean probe', () => {
    const dnsMx = [...MX, 'backup.example.net'];
    const advice = advise(testingInput(NOW, { observed: observed({ dnsMx }) }));
    expect(codes(advice)).toEqual(['MX_NOT_COVERED']);
    expect(advice.verdict).toBe('keep-testing');
    expect(advice.proposed?.mx).toEqual([...MX, 'backup.example.net']);
    expect(advice.proposed?.mode).toBe('testing');

    const broken = advise(testingInput(NOW, { observed: observed({ dnsMx, probes: [...MX.map(cleanProbe), { ...cleanProbe('backup.example.net'), starttls: false }] }) }));
    expect(codes(broken)).toEqual(['MX_NOT_COVERED', 'MX_TLS_FAILED']);
    expect(broken.proposed).toBeNull();
  });
});

describe('MX probes (ROLL-7: every MX, backups too)', () => {
  const probe = (over: Partial<MxProbe>): MxProbe => ({ ...cleanProbe('mx2.example.com'), ...over });

  it('CHK-14: no STARTTLS, an invalid certificate, or a certificate for another name fail', () => {
    expect(classifyProbe('mx2.example.com', probe({ starttls: false }))).toEqual({ kind: 'failed', why: 'it offers no STARTTLS' });
    expect(classifyProbe('mx2.example.com', probe({ certValid: false, error: 'certificate has expired' }))).toEqual({
      kind: 'failed',
      why: 'its certificate is not valid (certificate has expired)',
    });
    expect(classifyProbe('mx2.example.com', probe({ certNames: ['mail.other.example'] }))).toEqual({
      kind: 'failed',
      why: 'its certificate names mail.other.example, not mx2.example.com',
    });
  });

  it('MX_PROBE_INCONCLUSIVE: starttls null, an unverified certificate, or no probe at all', () => {
    expect(classifyProbe('mx2.example.com', probe({ starttls: null, certValid: null, error: 'connect timeout' })).kind).toBe('inconclusive');
    expect(classifyProbe('mx2.example.com', probe({ certValid: null })).kind).toBe('inconclusive');
    expect(classifyProbe('mx2.example.com', undefined)).toEqual({ kind: 'inconclusive', why: 'it has not been probed' });
  });

  it('STS-POL-5 style DNS-ID: a wildcard certificate name covers exactly one label', () => {
    expect(certNameMatches('*.example.com', 'mx2.example.com')).toBe(true);
    expect(certNameMatches('*.example.com', 'a.mx2.example.com')).toBe(false);
    expect(certNameMatches('MX2.example.com', 'mx2.example.com')).toBe(true);
  });

  it('scenario 04: a probe of mx2 with an expired certificate blocks ready in testing and names mx2', () => {
    const probes = [cleanProbe('mx1.example.com'), { ...cleanProbe('mx2.example.com'), certValid: false, error: 'certificate has expired' }];
    const advice = advise(testingInput(NOW, { observed: observed({ probes }) }));
    expect(codes(advice)).toEqual(['MX_TLS_FAILED']);
    expect(advice.blockers[0].message).toBe('The TLS probe of MX mx2.example.com failed: its certificate is not valid (certificate has expired).');
    expect(advice.blockers[0].evidence).toEqual({ host: 'mx2.example.com', starttls: true, certValid: false, certNames: ['mx2.example.com'], error: 'certificate has expired' });
    expect(advice.verdict).toBe('keep-testing');
  });

  it('scenario 12: an inconclusive probe blocks ready-to-enforce in testing', () => {
    const probes = [cleanProbe('mx1.example.com'), { host: 'mx2.example.com', starttls: null, certValid: null, certNames: [], error: 'connect timeout on port 25' }];
    const advice = advise(testingInput(NOW, { observed: observed({ probes }) }));
    expect(codes(advice)).toEqual(['MX_PROBE_INCONCLUSIVE']);
    expect(advice.blockers[0].message).toContain('MX mx2.example.com is not verified: the probe could not finish (connect timeout on port 25)');
    expect(advice.verdict).toBe('keep-testing');
  });

  it('FORMAT: MX_PROBE_INCONCLUSIVE never causes a rollback in enforce (and holds back the max_age raise)', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const probes = [cleanProbe('mx1.example.com'), { host: 'mx2.example.com', starttls: null, certValid: null, certNames: [], error: 'timeout' }];
    const advice = advise({ ...input, observed: { ...input.observed, mxProbes: probes } });
    expect(codes(advice)).toEqual(['MX_PROBE_INCONCLUSIVE']);
    expect(advice.verdict).toBe('enforced-ok');
    expect(advice.proposed).toBeNull();
  });
});
