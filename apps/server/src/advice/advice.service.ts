import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DomainStore, type TransitionRow, type WatchedDomain } from '@app/domain-store';
import { advise, describeNextStep, formatAdviceText, resolveRolloutSettings, type Advice, type RolloutSettings } from '@app/rollout';
import { Clock, CLOCK } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import { adviceChanged, stabilizeProposal } from './proposal-stability.js';
import { evidenceNote, selectEvidence } from './report-evidence.js';

const DAY_MS = 86_400_000;
/** Evidence window: comfortably longer than any testing period or max_age the engine reasons about. */
const EVIDENCE_DAYS = 400;

export interface Alert {
  code: 'TRANSITION_OVERDUE';
  message: string;
  evidence: Record<string, string>;
}

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

@Injectable()
export class AdviceService {
  readonly settings: RolloutSettings;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.settings = resolveRolloutSettings({
      pendingDeadlineHours: config.rollout.transitionDeadlineHours,
      reportAddress: config.rollout.reportAddress,
    });
  }

  /**
   * Advice for `d` from the stored published history, its latest check and the stored reports, at the
   * clock's now. Stored in the advice history after every check, and on request when it changed.
   */
  async evaluate(d: WatchedDomain, opts: { trigger: 'check' | 'request'; checkId?: number }) {
    const now = this.clock.now();
    const check = await this.store.latestCheck(d.id);
    if (check === null) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        code: 'NO_CHECK',
        message: `No live check of ${d.domain} is stored yet: run POST /api/domains/${d.domain}/checks first.`,
      });
    }
    await this.store.expireTransitions(d.id, now);
    const [history, transitions, stored, previous] = await Promise.all([
      this.store.publishedHistory(d.id),
      this.store.listTransitions(d.id),
      this.store.reportsFor(d.domain, new Date(now.getTime() - EVIDENCE_DAYS * DAY_MS)),
      this.store.latestAdvice(d.id),
    ]);
    const requireDkim = this.config.evidence.requireDkim;
    const evidence = selectEvidence(stored, { requireDkim, now });
    const fresh = advise(
      {
        now,
        domain: d.domain,
        published: history.map((h) => ({ at: h.firstSeen, txt: h.txt, policy: h.body })),
        observed: check.observed,
        reports: evidence.reports,
      },
      this.settings,
    );
    const usedIds = [...history.map((h) => h.policyId), ...transitions.map((t) => t.policyId)];
    const advice: Advice = stabilizeProposal(fresh, previous?.advice ?? null, usedIds);
    if (opts.trigger === 'check' || adviceChanged(advice, previous?.advice ?? null)) {
      await this.store.insertAdvice(d.id, { computedAt: now, trigger: opts.trigger, checkId: opts.checkId ?? null, advice });
    }
    const open = transitions.find((t) => t.status === 'pending' || t.status === 'expired') ?? null;
    return {
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
    };
  }

  async history(d: WatchedDomain, limit: number, cursor?: number) {
    const page = await this.store.listAdvice(d.id, limit, cursor);
    return {
      items: page.items.map((r) => ({ id: r.id, computedAt: r.computedAt.toISOString(), trigger: r.trigger, checkId: r.checkId, advice: r.advice })),
      nextCursor: page.nextCursor,
    };
  }
}

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
