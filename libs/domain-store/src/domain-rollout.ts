import { advise, describeNextStep, formatAdviceText, type Advice, type RolloutSettings } from '@app/rollout';
import { checkDomain, type CheckerOptions } from '@app/sts-checker';
import { summarize, suppressPendingIdFinding, unknownIdFinding } from './check-summary.js';
import type { DomainStore } from './domain-store.js';
import type { TransitionRow, WatchedDomain } from './domain-store.types.js';
import { livePolicyOf } from './live-policy.js';
import { adviceChanged, stabilizeProposal } from './proposal-stability.js';
import { evidenceNote, selectEvidence } from './report-evidence.js';
import { checkView, transitionView, type CheckView, type TransitionView } from './views.js';

const DAY_MS = 86_400_000;
/** Evidence window: comfortably longer than any testing period or max_age the engine reasons about. */
const EVIDENCE_DAYS = 400;

export interface DomainRolloutDeps {
  store: DomainStore;
  settings: RolloutSettings;
  /** REQUIRE_DKIM_FOR_EVIDENCE. */
  requireDkim: boolean;
  checker: CheckerOptions;
  /** The service clock; nothing here reads the wall clock itself. */
  now: () => Date;
}

export interface Alert {
  code: 'TRANSITION_OVERDUE';
  message: string;
  evidence: Record<string, string>;
}

export interface EvaluatedAdvice {
  domain: string;
  computedAt: string;
  basedOn: { checkId: number; checkedAt: string };
  evidence: { requireDkim: boolean; reportsConsidered: number; reportsCounted: number; reportsUnauthenticated: number; note: string };
  advice: Advice;
  nextSteps: string[];
  text: string;
  openTransition: TransitionView | null;
  alerts: Alert[];
}

export type EvaluateResult = { ok: true; value: EvaluatedAdvice } | { ok: false; code: 'NO_CHECK'; message: string };

/** ROLL-2: while a transition is open, the one thing to do first is publishing its TXT id. */
function publishStep(t: TransitionRow, domain: string): string {
  return (
    `Publish "${t.txt}" at _mta-sts.${domain} (replacing the old value): the policy host has served the ${t.mode} policy with id ${t.policyId} ` +
    `since ${t.createdAt.toISOString()}; the transition completes when a check sees the new id (deadline ${t.deadline.toISOString()}).`
  );
}

/** ROLL-2: a body served ahead of its TXT id for longer than the deadline. */
function overdueAlerts(t: TransitionRow, domain: string): Alert[] {
  if (t.status !== 'expired') return [];
  return [
    {
      code: 'TRANSITION_OVERDUE',
      message:
        `The policy with id ${t.policyId} has been served since ${t.createdAt.toISOString()} but no check has seen "${t.txt}" at _mta-sts.${domain} ` +
        `by the deadline ${t.deadline.toISOString()}; publish that TXT record now, or accept a new proposal.`,
      evidence: { policyId: t.policyId, createdAt: t.createdAt.toISOString(), deadline: t.deadline.toISOString() },
    },
  ];
}

/** The rollout use cases shared by the server and the CLI: run and store a live check, evaluate and store advice. */
export class DomainRollout {
  constructor(private readonly deps: DomainRolloutDeps) {}

  /**
   * Advice from the stored published history, the latest check and the stored reports at the clock's now.
   * Stored in the advice history after every check, and on request when it changed.
   */
  async evaluate(d: WatchedDomain, opts: { trigger: 'check' | 'request'; checkId?: number }): Promise<EvaluateResult> {
    const { store, settings, requireDkim } = this.deps;
    const now = this.deps.now();
    const check = await store.latestCheck(d.id);
    if (check === null) {
      return { ok: false, code: 'NO_CHECK', message: `No live check of ${d.domain} is stored yet: run POST /api/domains/${d.domain}/checks first.` };
    }
    await store.expireTransitions(d.id, now);
    const [history, transitions, stored, previous] = await Promise.all([
      store.publishedHistory(d.id),
      store.listTransitions(d.id),
      store.reportsFor(d.domain, new Date(now.getTime() - EVIDENCE_DAYS * DAY_MS)),
      store.latestAdvice(d.id),
    ]);
    const evidence = selectEvidence(stored, { requireDkim, now });
    const fresh = advise(
      {
        now,
        domain: d.domain,
        published: history.map((h) => ({ at: h.firstSeen, txt: h.txt, policy: h.body })),
        observed: check.observed,
        reports: evidence.reports,
      },
      settings,
    );
    const usedIds = [...history.map((h) => h.policyId), ...transitions.map((t) => t.policyId)];
    const advice = stabilizeProposal(fresh, previous?.advice ?? null, usedIds);
    if (opts.trigger === 'check' || adviceChanged(advice, previous?.advice ?? null)) {
      await store.insertAdvice(d.id, { computedAt: now, trigger: opts.trigger, checkId: opts.checkId ?? null, advice });
    }
    const open = transitions.find((t) => t.status === 'pending' || t.status === 'expired') ?? null;
    return {
      ok: true,
      value: {
        domain: d.domain,
        computedAt: now.toISOString(),
        basedOn: { checkId: check.id, checkedAt: check.checkedAt.toISOString() },
        evidence: {
          requireDkim,
          reportsConsidered: evidence.considered,
          reportsCounted: evidence.reports.length,
          reportsUnauthenticated: evidence.unauthenticated,
          note: evidenceNote(evidence, requireDkim),
        },
        advice,
        nextSteps: [...(open ? [publishStep(open, d.domain)] : []), ...describeNextStep(advice, d.domain)],
        text: formatAdviceText(advice, d.domain),
        openTransition: open ? transitionView(open) : null,
        alerts: open ? overdueAlerts(open, d.domain) : [],
      },
    };
  }

  /** Runs a live check, stores it, extends the published-policy log (ROLL-1), settles transitions and stores fresh advice. */
  async runCheck(d: WatchedDomain): Promise<{ check: CheckView; advice: EvaluatedAdvice }> {
    const { store } = this.deps;
    const history = await store.publishedHistory(d.id);
    const last = history.at(-1);
    const open = await store.openTransition(d.id);
    const result = await checkDomain(d.domain, {
      ...this.deps.checker,
      now: this.deps.now,
      ...(last ? { previous: { id: last.policyId, policyBody: last.body } } : {}),
    });
    const checkedAt = new Date(result.checkedAt);
    const live = livePolicyOf(result.observed);
    const pendingBody = open?.status === 'pending' ? open.body : null;
    const unknownId = unknownIdFinding(live?.policyId ?? null, history.map((h) => h.policyId), open?.status === 'pending' ? open.policyId : null);
    const findings = [...suppressPendingIdFinding(result.findings, pendingBody, result.observed.policyFetch.body), ...(unknownId ? [unknownId] : [])];
    const stored = await store.insertCheck(d.id, { checkedAt, summary: summarize(findings, live), findings, observed: result.observed, details: result.details });
    if (live) await store.recordLivePolicy(d.id, live, checkedAt);
    if (open && live?.policyId === open.policyId) await store.setTransitionStatus(open.id, 'completed', checkedAt);
    const advice = await this.evaluate(d, { trigger: 'check', checkId: stored.id });
    // A check was just stored, so evaluate cannot miss one.
    if (!advice.ok) throw new Error(advice.message);
    return { check: checkView(stored), advice: advice.value };
  }
}
