import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import {
  at,
  bothReporters,
  cleanProbe,
  DOMAIN,
  ENFORCE_ID,
  enforceInput,
  failure,
  ID,
  MX,
  observed,
  plusDays,
  published,
  report,
  START,
  testingInput,
} from './testing/rollout-builders.js';
import type { Advice, RolloutInput } from './rollout.types.js';

const codes = (a: Advice) => a.blockers.map((b) => b.code);
const NONE_OBSERVED = observed({}, {
  mtaStsTxt: [],
  tlsrptTxt: [],
  policyFetch: { status: 404, contentType: 'text/html', redirected: false, certValid: true, body: '' },
});

function noneInput(over: Partial<RolloutInput> = {}): RolloutInput {
  return { now: at('2026-01-05T00:00:00Z'), domain: DOMAIN, published: [], observed: NONE_OBSERVED, reports: [], ...over };
}

describe('state none → start-testing', () => {
  it('scenario 01: proposes mode testing for the DNS MX hosts, max_age 86400, and a TLS-RPT record', () => {
    const advice = advise(noneInput());
    expect(advice.state).toBe('none');
    expect(advice.verdict).toBe('start-testing');
    expect(advice.blockers).toEqual([]);
    expect(advice.proposed).toEqual({
      policy: 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n',
      txt: 'v=STSv1; id=20260105000000',
      mode: 'testing',
      mx: MX,
      maxAge: 86400,
      id: '20260105000000',
      tlsrptTxt: 'v=TLSRPTv1; rua=mailto:tlsrpt@localhost',
    });
  });

  it('FORMAT: only MX hosts that probe clean go into the proposal', () => {
    const probes = [cleanProbe('mx1.example.com'), { ...cleanProbe('mx2.example.com'), starttls: false }];
    const advice = advise(noneInput({ observed: { ...NONE_OBSERVED, mxProbes: probes } }));
    expect(advice.proposed?.mx).toEqual(['mx1.example.com']);
    expect(codes(advice)).toEqual(['MX_TLS_FAILED']);
  });

  it('FORMAT: a null MX gives MX_INVALID and no proposal', () => {
    const advice = advise(noneInput({ observed: { ...NONE_OBSERVED, mx: ['.'], mxProbes: [] } }));
    expect(advice.verdict).toBe('start-testing');
    expect(codes(advice)).toEqual(['MX_INVALID']);
    expect(advice.proposed).toBeNull();
  });

  it('a published TXT whose policy host fails says why no policy is live', () => {
    const advice = advise(noneInput({ observed: { ...NONE_OBSERVED, mtaStsTxt: ['v=STSv1; id=abc'] } }));
    expect(advice.state).toBe('none');
    expect(codes(advice)).toEqual(['POLICY_FETCH_FAILED']);
    expect(advice.proposed?.id).not.toBe('abc');
  });

  it('a valid TLS-RPT record already live is not proposed again', () => {
    const advice = advise(noneInput({ observed: { ...NONE_OBSERVED, tlsrptTxt: ['v=TLSRPTv1; rua=mailto:r@example.com'] } }));
    expect(advice.proposed?.tlsrptTxt).toBeNull();
  });
});

describe('state testing', () => {
  it('scenario 02: all gates hold → ready-to-enforce with the same mx, max_age 604800 and a new id', () => {
    const advice = advise(testingInput('2026-02-04T00:00:00Z'));
    expect(advice.verdict).toBe('ready-to-enforce');
    expect(advice.blockers).toEqual([]);
    expect(advice.proposed).toMatchObject({ mode: 'enforce', mx: MX, maxAge: 604800, id: '20260204000000', txt: 'v=STSv1; id=20260204000000', tlsrptTxt: null });
    expect(advice.proposed?.policy).toBe('version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n');
  });

  it('firstEnforceMaxAge is a setting', () => {
    expect(advise(testingInput('2026-02-04T00:00:00Z'), { firstEnforceMaxAge: 172800 }).proposed?.maxAge).toBe(172800);
  });

  it('FORMAT: the new id appears in no published entry, even one minted from the same second', () => {
    const now = '2026-02-04T00:00:00Z';
    const input = testingInput(now, {
      published: [published('2026-01-01T00:00:00Z', '20260204000000'), published(START, ID)],
    });
    const advice = advise(input);
    expect(advice.proposed?.id).toMatch(/^20260204000000[0-9a-z]+$/);
    expect(advice.proposed?.id).not.toBe('20260204000000');
    expect(advice.proposed?.txt).toBe(`v=STSv1; id=${advice.proposed?.id}`);
  });

  it('FORMAT: a deployment blocker wins over the other gates (fix-deployment before keep-testing)', () => {
    const input = testingInput('2026-01-11T00:00:00Z', { observed: observed({}, { tlsrptTxt: [] }) });
    const advice = advise(input);
    expect(codes(advice)).toEqual(['TLSRPT_MISSING', 'TESTING_TOO_SHORT']);
    expect(advice.verdict).toBe('fix-deployment');
    expect(advice.proposed).toBeNull();
  });

  it('scenario 04: reported failures and a failing probe keep testing (no rollback from testing)', () => {
    const reports = [
      ...bothReporters('2026-01-05', 30),
      ...Array.from({ length: 7 }, (_, i) =>
        report({ org: 'Google Inc.', day: plusDays('2026-01-28T00:00:00Z', i).toISOString().slice(0, 10), success: 400, failed: 40, details: [failure('certificate-expired', 'mx2.example.com', 40)] }),
      ),
    ];
    const probes = [cleanProbe('mx1.example.com'), { ...cleanProbe('mx2.example.com'), certValid: false, error: 'certificate has expired' }];
    const advice = advise(testingInput('2026-02-04T00:00:00Z', { reports, observed: observed({ probes }) }));
    expect(codes(advice)).toEqual(['MX_TLS_FAILED', 'REPORTED_TLS_FAILURES']);
    expect(advice.verdict).toBe('keep-testing');
    expect(advice.proposed).toBeNull();
  });
});

describe('state enforce', () => {
  it('scenario 10: 60 clean days with max_age 604800 → enforced-ok proposing 1209600 under a new id', () => {
    const advice = advise(enforceInput('2026-04-15T00:00:00Z'));
    expect(advice.verdict).toBe('enforced-ok');
    expect(advice.blockers).toEqual([]);
    expect(advice.proposed).toMatchObject({ mode: 'enforce', mx: MX, maxAge: 1209600, id: '20260415000000' });
  });

  it('ROLL-9: 13 days into enforce is ok but too early to raise max_age; 14 days is due', () => {
    const early = advise(enforceInput(plusDays('2026-02-14T00:00:00Z', 13).toISOString()));
    expect(early.verdict).toBe('enforced-ok');
    expect(early.proposed).toBeNull();
    const due = advise(enforceInput(plusDays('2026-02-14T00:00:00Z', 14).toISOString()));
    expect(due.proposed?.maxAge).toBe(1209600);
  });

  it('ROLL-9: any failed session in the last 14 days (even under the ceiling) holds the raise back', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const blip = report({ org: 'Google Inc.', day: '2026-04-10', success: 4000, failed: 1, policy: { mode: 'enforce', maxAge: 604800 }, details: [failure('certificate-expired', 'mx1.example.com', 1)] });
    const advice = advise({ ...input, reports: [...input.reports, blip] });
    expect(advice.verdict).toBe('enforced-ok');
    expect(advice.blockers).toEqual([]);
    expect(advice.proposed).toBeNull();
  });

  it('ROLL-9: an enforce policy already at the steady max_age gets no proposal', () => {
    const spec = { mode: 'enforce' as const, maxAge: 1209600 };
    const advice = advise({
      ...enforceInput('2026-04-15T00:00:00Z'),
      published: [published(START, ID), published('2026-02-14T00:00:00Z', ENFORCE_ID, spec)],
      observed: observed({ id: ENFORCE_ID, ...spec }),
      reports: bothReporters('2026-02-14', 60, { policy: spec }),
    });
    expect(advice.verdict).toBe('enforced-ok');
    expect(advice.proposed).toBeNull();
  });

  it('scenario 09: reported failures on mx1 and a failing probe → rollback to testing with the same mx and a new id', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const failing = bothReporters('2026-03-10', 6, { policy: { mode: 'enforce', maxAge: 604800 }, failed: 300, details: [failure('certificate-host-mismatch', 'mx1.example.com', 300)] });
    const probes = [{ ...cleanProbe('mx1.example.com'), certValid: false, certNames: ['mail.other.example'], error: 'hostname mismatch' }, cleanProbe('mx2.example.com')];
    const advice = advise({
      ...input,
      reports: [...input.reports.filter((r) => r.dateRange.start < at('2026-03-10T00:00:00Z')), ...failing],
      observed: { ...input.observed, mxProbes: probes },
    });
    expect(advice.state).toBe('enforce');
    expect(advice.verdict).toBe('rollback');
    expect(codes(advice)).toEqual(['MX_TLS_FAILED', 'REPORTED_TLS_FAILURES']);
    expect(advice.proposed).toMatchObject({ mode: 'testing', mx: MX, maxAge: 86400, id: '20260316000000' });
  });

  it('rollback on the probe alone: a broken MX in enforce is not waited on for reports', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const probes = [cleanProbe('mx1.example.com'), { ...cleanProbe('mx2.example.com'), starttls: false }];
    expect(advise({ ...input, observed: { ...input.observed, mxProbes: probes } }).verdict).toBe('rollback');
  });

  it('scenario 08: a new DNS MX not in the enforce policy → update-mx with the union, enforce, same max_age', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const dnsMx = [...MX, 'mx3.example.com'];
    const advice = advise({ ...input, observed: { ...input.observed, mx: dnsMx, mxProbes: dnsMx.map(cleanProbe) } });
    expect(advice.verdict).toBe('update-mx');
    expect(codes(advice)).toEqual(['MX_NOT_COVERED']);
    expect(advice.blockers[0].message).toContain('mx3.example.com');
    expect(advice.proposed).toMatchObject({ mode: 'enforce', mx: dnsMx, maxAge: 604800 });
  });

  it('update-mx never adds an MX whose probe is not clean', () => {
    const input = enforceInput('2026-03-16T00:00:00Z');
    const dnsMx = [...MX, 'mx3.example.com'];
    const probes = [...MX.map(cleanProbe), { host: 'mx3.example.com', starttls: null, certValid: null, certNames: [], error: 'timeout' }];
    const advice = advise({ ...input, observed: { ...input.observed, mx: dnsMx, mxProbes: probes } });
    expect(advice.verdict).toBe('update-mx');
    expect(advice.proposed).toBeNull();
  });

  it('a deployment blocker in enforce → fix-deployment (never start-testing), no proposal', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const advice = advise({ ...input, observed: { ...input.observed, mtaStsTxt: [] } });
    expect(advice.state).toBe('enforce');
    expect(advice.verdict).toBe('fix-deployment');
    expect(codes(advice)).toEqual(['TXT_INVALID']);
    expect(advice.proposed).toBeNull();
  });

  it('an enforce policy whose host fails keeps state enforce from the log', () => {
    const input = enforceInput('2026-04-15T00:00:00Z');
    const advice = advise({ ...input, observed: { ...input.observed, policyFetch: { ...input.observed.policyFetch, certValid: false } } });
    expect(advice.state).toBe('enforce');
    expect(advice.verdict).toBe('fix-deployment');
  });
});
