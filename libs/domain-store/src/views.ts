import type { StoredCheck, TransitionRow } from './domain-store.types.js';

export const checkView = (c: StoredCheck) => ({
  id: c.id,
  checkedAt: c.checkedAt.toISOString(),
  summary: c.summary,
  findings: c.findings,
  observed: c.observed,
});

export const transitionView = (t: TransitionRow) => ({
  id: t.id,
  status: t.status,
  verdict: t.verdict,
  policyId: t.policyId,
  txt: t.txt,
  tlsrptTxt: t.tlsrptTxt,
  policy: t.body,
  mode: t.mode,
  maxAge: t.maxAge,
  createdAt: t.createdAt.toISOString(),
  deadline: t.deadline.toISOString(),
  completedAt: t.completedAt?.toISOString() ?? null,
});

export type CheckView = ReturnType<typeof checkView>;
export type TransitionView = ReturnType<typeof transitionView>;
