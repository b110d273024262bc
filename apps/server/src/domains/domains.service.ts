import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DomainStore, type WatchedDomain } from '@app/domain-store';
import { Clock, CLOCK } from '../clock/clock.js';

const view = (d: WatchedDomain) => ({ domain: d.domain, createdAt: d.createdAt.toISOString() });

@Injectable()
export class DomainsService {
  constructor(
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async add(domain: string) {
    const r = await this.store.addDomain(domain, this.clock.now());
    return { created: r.created, domain: view(r.domain) };
  }

  async list() {
    return { items: (await this.store.listDomains()).map(view) };
  }

  /** The watched domain, or 404 naming it. */
  async require(domain: string): Promise<WatchedDomain> {
    const found = await this.store.getDomain(domain);
    if (!found) throw new NotFoundException({ statusCode: 404, error: 'Not Found', code: 'DOMAIN_NOT_WATCHED', message: `${domain} is not a watched domain.` });
    return found;
  }

  async detail(domain: string) {
    const d = await this.require(domain);
    const [check, advice, transition] = await Promise.all([this.store.latestCheck(d.id), this.store.latestAdvice(d.id), this.store.openTransition(d.id)]);
    return {
      ...view(d),
      latestCheck: check ? { id: check.id, checkedAt: check.checkedAt.toISOString(), summary: check.summary } : null,
      latestAdvice: advice ? { computedAt: advice.computedAt.toISOString(), state: advice.advice.state, verdict: advice.advice.verdict } : null,
      openTransition: transition ? { policyId: transition.policyId, status: transition.status, deadline: transition.deadline.toISOString() } : null,
    };
  }

  async remove(domain: string): Promise<void> {
    if (!(await this.store.deleteDomain(domain))) await this.require(domain);
  }
}
