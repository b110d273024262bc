import { Inject, Injectable } from '@nestjs/common';
import { checkView, DomainRollout, DomainStore } from '@app/domain-store';
import { DomainsService } from '../domains/domains.service.js';

@Injectable()
export class ChecksService {
  constructor(
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(DomainsService) private readonly domains: DomainsService,
    @Inject(DomainRollout) private readonly rollout: DomainRollout,
  ) {}

  /** Runs a live check, stores it, extends the published-policy log, settles transitions and stores fresh advice. */
  async run(domain: string) {
    return this.rollout.runCheck(await this.domains.require(domain));
  }

  async list(domain: string, limit: number, cursor?: number) {
    const d = await this.domains.require(domain);
    const page = await this.store.listChecks(d.id, limit, cursor);
    return { items: page.items.map(checkView), nextCursor: page.nextCursor };
  }
}
