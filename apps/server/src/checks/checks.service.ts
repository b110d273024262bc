import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DomainStore, livePolicyOf, type StoredCheck } from '@app/domain-store';
import { checkDomain, type CheckerOptions } from '@app/sts-checker';
import { AdviceService } from '../advice/advice.service.js';
import { Clock, CLOCK } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainsService } from '../domains/domains.service.js';
import { checkerOptionsFrom } from './checker-options.js';
import { summarize, suppressPendingIdFinding } from './check-summary.js';

export const checkView = (c: StoredCheck) => ({
  id: c.id,
  checkedAt: c.checkedAt.toISOString(),
  summary: c.summary,
  findings: c.findings,
  observed: c.observed,
});

@Injectable()
export class ChecksService {
  private readonly options: CheckerOptions;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(DomainsService) private readonly domains: DomainsService,
    @Inject(AdviceService) private readonly advice: AdviceService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.options = checkerOptionsFrom(config);
  }

  /** Runs a live check, stores it, extends the published-policy log, settles transitions and stores fresh advice. */
  async run(domain: string) {
    const d = await this.domains.require(domain);
    const last = (await this.store.publishedHistory(d.id)).at(-1);
    const open = await this.store.openTransition(d.id);
    const result = await checkDomain(d.domain, {
      ...this.options,
      now: () => this.clock.now(),
      ...(last ? { previous: { id: last.policyId, policyBody: last.body } } : {}),
    });
    const checkedAt = new Date(result.checkedAt);
    const live = livePolicyOf(result.observed);
    const pendingBody = open?.status === 'pending' ? open.body : null;
    const findings = suppressPendingIdFinding(result.findings, pendingBody, result.observed.policyFetch.body);
    const stored = await this.store.insertCheck(d.id, {
      checkedAt,
      summary: summarize(findings, live),
      findings,
      observed: result.observed,
      details: result.details,
    });
    if (live) await this.store.recordLivePolicy(d.id, live, checkedAt);
    if (open && live?.policyId === open.policyId) await this.store.setTransitionStatus(open.id, 'completed', checkedAt);
    const advice = await this.advice.evaluate(d, { trigger: 'check', checkId: stored.id });
    return { check: checkView(stored), advice };
  }

  async list(domain: string, limit: number, cursor?: number) {
    const d = await this.domains.require(domain);
    const page = await this.store.listChecks(d.id, limit, cursor);
    return { items: page.items.map(checkView), nextCursor: page.nextCursor };
  }
}
