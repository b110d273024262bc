import type { Finding } from '@app/mta-sts';
import { describe, expect, it } from 'vitest';
import { summarize, suppressPendingIdFinding, unknownIdFinding } from './check-summary.js';

const f = (code: string, severity: Finding['severity']): Finding => ({ code, severity, message: code });
const BODY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n';

describe('check summary', () => {
  it('counts findings by severity and names the live id and mode', () => {
    const live = { txt: 'v=STSv1; id=a1', policyId: 'a1', body: BODY, bodyHash: 'h', mode: 'enforce', maxAge: 604800 };
    expect(summarize([f('MX_TLS_FAILED', 'error'), f('CERT_EXPIRING', 'warn'), f('X', 'warn'), f('Y', 'info')], live)).toEqual({
      errors: 1,
      warnings: 2,
      infos: 1,
      policyId: 'a1',
      mode: 'enforce',
    });
    expect(summarize([], null)).toEqual({ errors: 0, warnings: 0, infos: 0, policyId: null, mode: null });
  });

  it('ROLL-2: the id-not-bumped finding is held back only for the pending body', () => {
    const findings = [f('POLICY_ID_NOT_BUMPED', 'error'), f('TLSRPT_MISSING', 'error')];
    expect(suppressPendingIdFinding(findings, BODY, BODY).map((x) => x.code)).toEqual(['TLSRPT_MISSING']);
    expect(suppressPendingIdFinding(findings, BODY, BODY.replace('mx1', 'mx9'))).toEqual(findings);
    expect(suppressPendingIdFinding(findings, null, BODY)).toEqual(findings);
  });
});

describe('CHK-2: a live id unknown to the policy history', () => {
  it('warns when the id was changed outside STS Pilot', () => {
    const f = unknownIdFinding('handEdited1', ['20260101000000', '20260115000000'], null);
    expect(f).toMatchObject({ code: 'TXT_ID_UNKNOWN', severity: 'warn', rule: 'CHK-2' });
    expect(f!.message).toContain('handEdited1');
    expect(f!.message).toContain('last known: 20260115000000');
  });
  it('is quiet for a known id, the pending transition id, or a domain without history', () => {
    expect(unknownIdFinding('20260101000000', ['20260101000000'], null)).toBeNull();
    expect(unknownIdFinding('20260201000000', ['20260101000000'], '20260201000000')).toBeNull();
    expect(unknownIdFinding('x1', [], null)).toBeNull();
    expect(unknownIdFinding(null, ['20260101000000'], null)).toBeNull();
  });
});
