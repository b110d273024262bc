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

/**
 * CHK-2: the live TXT id is neither one our published-policy history knows nor the pending transition's: the
 * record was edited by hand or by a provider. Warn; the history is re-baselined from this check.
 */
export function unknownIdFinding(liveId: string | null, knownIds: string[], pendingId: string | null): Finding | null {
  if (liveId === null || knownIds.length === 0 || knownIds.includes(liveId) || liveId === pendingId) return null;
  return {
    code: 'TXT_ID_UNKNOWN',
    severity: 'warn',
    rule: 'CHK-2',
    message: `The live _mta-sts id ${liveId} is not one STS Pilot has seen or proposed for this domain (last known: ${knownIds[knownIds.length - 1]}); it was changed outside STS Pilot. The policy history continues from this check.`,
  };
}
