import { ConflictException, Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DomainStore, type WatchedDomain } from '@app/domain-store';
import type { IngestOutcome } from '@app/ingest';
import type { Logger } from 'pino';
import { AdviceService } from '../advice/advice.service.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { ChecksService } from '../checks/checks.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import { LOGGER } from '../logging/logging.module.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import type { IngestListener } from './ingest-listener.js';

export interface CheckRoundResult {
  checked: number;
  failed: string[];
  alerts: number;
}

/**
 * The operator's daily loop: a live check of every watched domain each CHECK_INTERVAL_MINUTES (advice is stored by
 * the check itself), and fresh advice after reports for a watched domain arrive (debounced per domain). Alerts are
 * evaluated after both.
 */
@Injectable()
export class DailyLoopService implements OnModuleInit, OnApplicationShutdown, IngestListener {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(ChecksService) private readonly checks: ChecksService,
    @Inject(AdviceService) private readonly advice: AdviceService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'live-checks', intervalMs: this.config.dailyLoop.checkIntervalMinutes * 60_000, run: () => this.checkAll() });
  }

  onApplicationShutdown(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  async checkAll(): Promise<CheckRoundResult> {
    const all = await this.domains.listDomains();
    const failed: string[] = [];
    let alerts = 0;
    for (const d of all) {
      try {
        await this.checks.run(d.domain);
      } catch (err) {
        this.log.error({ err, domain: d.domain }, 'Scheduled live check failed');
        failed.push(d.domain);
        continue;
      }
      alerts += (await this.alerts.evaluate(d).catch((err) => (this.log.error({ err, domain: d.domain }, 'Alert evaluation failed'), []))).length;
    }
    return { checked: all.length - failed.length, failed, alerts };
  }

  ingested(outcome: IngestOutcome): void {
    if (outcome.kind !== 'accepted' || outcome.counts.stored === 0) return;
    for (const domain of outcome.storedPolicyDomains) this.schedule(domain);
  }

  /** Tests and shutdown: runs every debounced refresh now and waits for all of them. */
  async settle(): Promise<void> {
    for (;;) {
      while (this.inFlight.size) await Promise.all([...this.inFlight]);
      if (this.timers.size === 0) return;
      for (const [domain, t] of this.timers) {
        clearTimeout(t);
        this.timers.delete(domain);
        this.track(this.refresh(domain));
      }
    }
  }

  private track(p: Promise<void>): void {
    const wrapped = p.catch((err) => this.log.error({ err }, 'Advice refresh after ingest failed')).finally(() => this.inFlight.delete(wrapped));
    this.inFlight.add(wrapped);
  }

  /** Debounced per domain; domains nobody watches are dropped when the refresh looks them up. */
  private schedule(domain: string): void {
    const prev = this.timers.get(domain);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.timers.delete(domain);
      this.track(this.refresh(domain));
    }, this.config.dailyLoop.adviceDebounceMs);
    t.unref();
    this.timers.set(domain, t);
  }

  private async refresh(domain: string): Promise<void> {
    const d: WatchedDomain | null = await this.domains.getDomain(domain);
    if (!d) return;
    try {
      await this.advice.evaluate(d, { trigger: 'request' });
    } catch (err) {
      // NO_CHECK: no advice before the first live check; alerts still look at the reports.
      if (!(err instanceof ConflictException)) throw err;
    }
    await this.alerts.evaluate(d);
  }
}
