import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DomainStore, transitionView } from '@app/domain-store';
import { describeNextStep } from '@app/rollout';
import { AdviceService } from '../advice/advice.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainsService } from '../domains/domains.service.js';

const HOUR_MS = 3_600_000;

@Injectable()
export class TransitionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DomainStore) private readonly store: DomainStore,
    @Inject(DomainsService) private readonly domains: DomainsService,
    @Inject(AdviceService) private readonly advice: AdviceService,
  ) {}

  /**
   * The operator accepts the current proposal. `proposalId` must equal the id of the proposal the advice
   * shows right now: if the evidence moved in between, nothing is created (409 with the current proposal).
   */
  async accept(domain: string, proposalId: string) {
    const d = await this.domains.require(domain);
    const current = await this.advice.evaluate(d, { trigger: 'request' });
    const proposed = current.advice.proposed;
    if (proposed === null) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        code: 'NO_PROPOSAL',
        message: `The advice for ${d.domain} (${current.advice.verdict}) proposes nothing to publish right now.`,
        verdict: current.advice.verdict,
      });
    }
    if (proposed.id !== proposalId) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        code: 'PROPOSAL_CHANGED',
        message: `The current proposal for ${d.domain} has id ${proposed.id}, not ${proposalId}; review the advice again before accepting.`,
        currentProposalId: proposed.id,
        verdict: current.advice.verdict,
      });
    }
    const now = new Date(current.computedAt);
    const transition = await this.store.insertTransition(d.id, {
      verdict: current.advice.verdict,
      policyId: proposed.id,
      body: proposed.policy,
      txt: proposed.txt,
      tlsrptTxt: proposed.tlsrptTxt,
      mode: proposed.mode,
      maxAge: proposed.maxAge,
      createdAt: now,
      deadline: new Date(now.getTime() + this.config.rollout.transitionDeadlineHours * HOUR_MS),
    });
    return {
      transition: transitionView(transition),
      hostedAt: `https://mta-sts.${d.domain}/.well-known/mta-sts.txt`,
      publish: [
        { name: `_mta-sts.${d.domain}`, type: 'TXT', value: proposed.txt },
        ...(proposed.tlsrptTxt !== null ? [{ name: `_smtp._tls.${d.domain}`, type: 'TXT', value: proposed.tlsrptTxt }] : []),
      ],
      nextSteps: describeNextStep(current.advice, d.domain),
    };
  }

  async list(domain: string) {
    const d = await this.domains.require(domain);
    return { items: (await this.store.listTransitions(d.id)).map(transitionView) };
  }
}
