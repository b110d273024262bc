import { describe, expect, it } from 'vitest';
import type { Observed } from '@app/rollout';
import { bodyHash, livePolicyOf } from './live-policy.js';

const BODY = 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n';

function observed(over: Partial<Observed> = {}, fetch: Partial<Observed['policyFetch']> = {}): Observed {
  return {
    mx: ['mx1.example.com'],
    mtaStsTxt: ['v=STSv1; id=20240101000000'],
    tlsrptTxt: [],
    policyFetch: { status: 200, contentType: 'text/plain', redirected: false, certValid: true, body: BODY, ...fetch },
    mxProbes: [],
    ...over,
  };
}

describe('livePolicyOf (ROLL-1: what counts as seen live)', () => {
  it('ROLL-1: a valid TXT with a clean 200 fetch is one observation', () => {
    expect(livePolicyOf(observed())).toEqual({
      txt: 'v=STSv1; id=20240101000000',
      policyId: '20240101000000',
      body: BODY,
      bodyHash: bodyHash(BODY),
      mode: 'testing',
      maxAge: 86400,
    });
  });

  it('a fetch with a bad certificate was not seen live by senders', () => {
    expect(livePolicyOf(observed({}, { certValid: false }))).toBeNull();
  });

  it('a redirect or a 404 is not a live policy (STS-FET rules)', () => {
    expect(livePolicyOf(observed({}, { redirected: true }))).toBeNull();
    expect(livePolicyOf(observed({}, { status: 404 }))).toBeNull();
  });

  it('STS-POL: a body served as text/html (or without a Content-Type) was not seen live', () => {
    expect(livePolicyOf(observed({}, { contentType: 'text/html; charset=utf-8' }))).toBeNull();
    expect(livePolicyOf(observed({}, { contentType: null }))).toBeNull();
    expect(livePolicyOf(observed({}, { contentType: 'text/plain; charset=utf-8' }))?.policyId).toBe('20240101000000');
  });

  it('two v=STSv1 records are not a live policy (TXT_INVALID)', () => {
    expect(livePolicyOf(observed({ mtaStsTxt: ['v=STSv1; id=a1', 'v=STSv1; id=b2'] }))).toBeNull();
  });

  it('an unparsable body is still logged, with mode and max_age unknown', () => {
    const live = livePolicyOf(observed({}, { body: 'garbage' }));
    expect(live).toMatchObject({ policyId: '20240101000000', body: 'garbage', mode: null, maxAge: null });
  });
});
