import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { DomainRollout, DomainStore, type EvaluatedAdvice, type WatchedDomain } from '@app/domain-store';

@Injectable()
export class AdviceService {
  constructor(
    @Inject(DomainRollout) private readonly rollout: DomainRollout,
    @Inject(DomainStore) private readonly store: DomainStore,
  ) {}

  /** Current advice for `d`; 409 NO_CHECK until a live check is stored. */
  async evaluate(d: WatchedDomain, opts: { trigger: 'check' | 'request'; checkId?: number }): Promise<EvaluatedAdvice> {
    const r = await this.rollout.evaluate(d, opts);
    if (!r.ok) throw new ConflictException({ statusCode: 409, error: 'Conflict', code: r.code, message: r.message });
    return r.value;
  }

  async history(d: WatchedDomain, limit: number, cursor?: number) {
    const page = await this.store.listAdvice(d.id, limit, cursor);
    return {
      items: page.items.map((r) => ({ id: r.id, computedAt: r.computedAt.toISOString(), trigger: r.trigger, checkId: r.checkId, advice: r.advice })),
      nextCursor: page.nextCursor,
    };
  }
}
