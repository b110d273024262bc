import type { CheckSummary } from './domain-store.types.js';
import type { Finding } from '@app/mta-sts';
import type { LivePolicy } from './live-policy.js';

export function summarize(findings: Finding[], live: LivePolicy | null): CheckSummary {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return { errors: count('error'), warnings: count('warn'), infos: count('info'), policyId: live?.policyId ?? null, mode: live?.mode ?? null };
}

/**
 * ROLL-2: while a transition is pending, the policy host already serves its body under the old TXT id
 * on purpose; the checker's id-not-bumped finding is about that body and is held back until the deadline.
 */
export function suppressPendingIdFinding(findings: Finding[], pendingBody: string | null, fetchedBody: string | null): Finding[] {
  if (pendingBody === null || fetchedBody !== pendingBody) return findings;
  return findings.filter((f) => f.code !== 'POLICY_ID_NOT_BUMPED');
}
