import { createHash } from 'node:crypto';
import { contentTypeProblem, parsePolicy, selectStsTxt } from '@app/mta-sts';
import type { Observed } from '@app/rollout';

/** A TXT + policy pair a live check saw, ready for the published-policy log (ROLL-1). */
export interface LivePolicy {
  txt: string;
  policyId: string;
  body: string;
  bodyHash: string;
  mode: string | null;
  maxAge: number | null;
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * The pair a sender would act on: exactly one valid `v=STSv1` TXT and a policy served as a plain 200
 * text/plain over a valid certificate. Anything less was not "seen live" and never enters the history,
 * so no testing timer starts on a deployment senders would refuse.
 */
export function livePolicyOf(observed: Observed): LivePolicy | null {
  const txt = selectStsTxt(observed.mtaStsTxt);
  const fetch = observed.policyFetch;
  if (txt.value === null || fetch.status !== 200 || fetch.redirected || fetch.certValid !== true || fetch.body === null) return null;
  if (contentTypeProblem(fetch.contentType) !== null) return null;
  const raw = observed.mtaStsTxt.filter((t) => t.startsWith('v=STSv1'));
  if (raw.length !== 1) return null;
  const policy = parsePolicy(fetch.body).value;
  return {
    txt: raw[0],
    policyId: txt.value.id,
    body: fetch.body,
    bodyHash: bodyHash(fetch.body),
    mode: policy?.mode ?? null,
    maxAge: policy?.maxAge ?? null,
  };
}
