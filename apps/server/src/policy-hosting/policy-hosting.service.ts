import { Inject, Injectable } from '@nestjs/common';
import { DomainStore, type ServedPolicy } from '@app/domain-store';
import type { Logger } from 'pino';
import { Clock, CLOCK } from '../clock/clock.js';
import { DomainsService } from '../domains/domains.service.js';
import { LOGGER } from '../logging/logging.module.js';
import { policyDomainOfHost } from './policy-host.js';

export interface FetchRequest {
  host: string | undefined;
  clientIp: string | null;
  userAgent: string | null;
}

@Injectable()
export class PolicyHostingService {
  constructor(
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(DomainsService) private readonly domains: DomainsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The body to serve for this request, logged as a fetch; null for a host that is not a watched domain's policy host. */
  async serve(req: FetchRequest): Promise<ServedPolicy | null> {
    const domain = policyDomainOfHost(req.host);
    if (domain === null) return null;
    const served = await this.store.servedPolicy(domain);
    if (served === null) return null;
    try {
      await this.store.logFetch(served.domainId, {
        fetchedAt: this.clock.now(),
        clientIp: req.clientIp,
        userAgent: req.userAgent?.slice(0, 500) ?? null,
        host: `mta-sts.${domain}`,
        policyId: served.policyId,
      });
    } catch (err) {
      // A sender must get the policy even when the log write fails.
      this.logger.warn({ err, domain }, 'policy fetch not logged');
    }
    return served;
  }

  /** The watched domain whose policy host `host` is, or null. */
  async watchedPolicyDomain(host: string | undefined): Promise<string | null> {
    const domain = policyDomainOfHost(host);
    if (domain === null) return null;
    return (await this.store.getDomain(domain)) === null ? null : domain;
  }

  async fetches(domain: string, limit: number, cursor?: number) {
    const d = await this.domains.require(domain);
    const page = await this.store.listFetches(d.id, limit, cursor);
    return {
      items: page.items.map((f) => ({
        id: f.id,
        fetchedAt: f.fetchedAt.toISOString(),
        clientIp: f.clientIp,
        userAgent: f.userAgent,
        host: f.host,
        policyId: f.policyId,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
