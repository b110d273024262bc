import { describe, expect, it } from 'vitest';
import { RESULT_TYPE_GROUPS, isKnownPolicyType, isKnownResultType, isPolicyFetchResultType, resultTypeGroup } from './index.js';

describe('result types (RPT-JSON-3)', () => {
  it('RPT-JSON-3: the registry groups: negotiation, DANE, MTA-STS', () => {
    expect(RESULT_TYPE_GROUPS).toEqual({
      negotiation: ['starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired', 'certificate-not-trusted', 'validation-failure'],
      dane: ['tlsa-invalid', 'dnssec-invalid', 'dane-required'],
      sts: ['sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid'],
    });
    expect(resultTypeGroup('certificate-expired')).toBe('negotiation');
    expect(resultTypeGroup('dnssec-invalid')).toBe('dane');
    expect(resultTypeGroup('sts-webpki-invalid')).toBe('sts');
  });

  it('RPT-JSON-3: underscore and unregistered names are unknown', () => {
    for (const t of ['certificate_expired', 'certificate_name_mismatch', 'tlsa_validation_failure', 'Testing', 'Certificate-Expired', '']) {
      expect([t, resultTypeGroup(t), isKnownResultType(t)]).toEqual([t, null, false]);
    }
  });

  it('RPT-JSON-3: policy fetch result types are exactly the MTA-STS group', () => {
    expect(['sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid', 'validation-failure', 'tlsa-invalid'].map(isPolicyFetchResultType)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('RPT-DEV-17: known policy types are sts, tlsa and no-policy-found only', () => {
    expect(['sts', 'tlsa', 'no-policy-found', 'STS', 'invalid-policy-type'].map(isKnownPolicyType)).toEqual([true, true, true, false, false]);
  });
});
