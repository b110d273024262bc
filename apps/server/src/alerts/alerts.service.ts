import { Inject, Injectable } from '@nestjs/common';
import { alertJsonBody, alertMailSubject, alertText, detectAlerts, type AlertCandidate } from '@app/alerts';
import type { AppConfig } from '@app/config';
import { DomainStore, type WatchedDomain } from '@app/domain-store';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import { LOGGER } from '../logging/logging.module.js';
import { AlertDelivery, type Outgoing } from './alert-delivery.js';
import { AlertStore, type StoredAlert } from './alert-store.js';

/** Detects, de-duplicates, stores and delivers alerts for watched domains. */
@Injectable()
export class AlertsService {
  readonly store: AlertStore;

  constructor(
    @Inject(DataSource) ds: DataSource,
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(AlertDelivery) private readonly delivery: AlertDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.store = new AlertStore(ds, domains);
  }

  /** Evaluates one domain now; returns the alerts sent (suppressed repeats are not). */
  async evaluate(d: WatchedDomain): Promise<StoredAlert[]> {
    const now = this.clock.now();
    const rules = { baseUrl: this.config.alerts.publicBaseUrl, noReportDays: this.config.alerts.noReportDays };
    const fresh = await this.store.withDomainLock(d.domain, async (m) => {
      const { snapshot, upToReportPk } = await this.store.snapshot(m, d, now);
      const stored: Array<{ a: AlertCandidate; row: StoredAlert }> = [];
      for (const a of detectAlerts(snapshot, rules)) {
        const row = await this.store.recordUnlessSuppressed(m, a, now, this.config.alerts.suppressHours);
        if (row) stored.push({ a, row });
      }
      await this.store.saveScan(m, d.domain, upToReportPk, snapshot.currentVerdict, now);
      return stored;
    });
    // The candidate, not the stored row: jsonb reorders the evidence keys.
    for (const { a, row } of fresh) {
      row.deliveries = await this.deliver(row.id, { json: alertJsonBody(a, now), text: alertText(a), mailSubject: alertMailSubject(a) });
    }
    return fresh.map((f) => f.row);
  }

  async evaluateAll(): Promise<{ domains: number; alerts: number; failed: string[] }> {
    const all = await this.domains.listDomains();
    let alerts = 0;
    const failed: string[] = [];
    for (const d of all) {
      try {
        alerts += (await this.evaluate(d)).length;
      } catch (err) {
        this.log.error({ err, domain: d.domain }, 'Alert evaluation failed');
        failed.push(d.domain);
      }
    }
    return { domains: all.length, alerts, failed };
  }

  async deliver(id: number, msg: Outgoing) {
    const deliveries = await this.delivery.send(msg);
    await this.store.setDeliveries(id, deliveries);
    return deliveries;
  }
}
