import type { Advice, Proposal } from '@app/rollout';

/** Same thing to publish, ignoring the id (the engine mints a time-based id on every evaluation). */
export function sameProposalContent(a: Proposal | null, b: Proposal | null): boolean {
  if (a === null || b === null) return a === b;
  return a.policy === b.policy && a.mode === b.mode && a.maxAge === b.maxAge && a.tlsrptTxt === b.tlsrptTxt && a.mx.join('\n') === b.mx.join('\n');
}

/**
 * Keeps the proposal id the operator was last shown while the proposal itself has not changed, so that
 * "accept proposal X" refers to the same records across evaluations. The old id is dropped once it was
 * used anywhere (case-insensitively, STS-TXT-11).
 */
export function stabilizeProposal(fresh: Advice, previous: Advice | null, usedIds: Iterable<string>): Advice {
  const kept = previous?.proposed ?? null;
  if (fresh.proposed === null || kept === null || previous?.verdict !== fresh.verdict) return fresh;
  if (!sameProposalContent(fresh.proposed, kept)) return fresh;
  const used = new Set([...usedIds].map((id) => id.toLowerCase()));
  if (used.has(kept.id.toLowerCase())) return fresh;
  return { ...fresh, proposed: { ...fresh.proposed, id: kept.id, txt: kept.txt } };
}

/** Whether `a` tells the operator anything `b` did not: state, verdict, blocker codes or the proposal. */
export function adviceChanged(a: Advice, b: Advice | null): boolean {
  if (b === null) return true;
  const codes = (x: Advice) => x.blockers.map((bl) => bl.code).sort().join(',');
  return a.state !== b.state || a.verdict !== b.verdict || codes(a) !== codes(b) || a.proposed?.id !== b.proposed?.id || !sameProposalContent(a.proposed, b.proposed);
}
