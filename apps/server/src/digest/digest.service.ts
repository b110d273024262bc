import { Inject, Injectable } from '@nestjs/common';
import { buildDigest, digestText, type Digest } from '@app/alerts';
import type { AppConfig } from '@app/config';
import { DomainStore, type WatchedDomain } from '@app/domain-store';
import { atMostCeilingSql } from '@app/store';
import { DataSource } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service.js';
import { APP_CONFIG } from '../config/config.module.js';

const DAY_MS = 86_400_000;

/** The daily digest of each watched domain: yesterday's (UTC) sessions, failure rate, top failures and the verdict. */
@Injectable()
export class DigestService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async digestOf(d: WatchedDomain, day: string): Promise<Digest> {
    const [totals] = await this.ds.query(
      `SELECT ${atMostCeilingSql('coalesce(sum(successful_sessions), 0)')}::bigint AS ok, ${atMostCeilingSql('coalesce(sum(failed_sessions), 0)')}::bigint AS failed,
              coalesce(sum(reports), 0)::int AS reports
         FROM daily_policy_rollup WHERE policy_domain = $1 AND day = $2::date`,
      [d.domain, day],
    );
    const failures: Array<{ result_type: string; receiving_mx: string; sessions: string }> = await this.ds.query(
      `SELECT result_type, receiving_mx, ${atMostCeilingSql('sum(sessions)')}::bigint AS sessions FROM daily_failure_rollup
        WHERE policy_domain = $1 AND day = $2::date GROUP BY 1, 2`,
      [d.domain, day],
    );
    const advice = await this.domains.latestAdvice(d.id);
    return buildDigest(
      {
        domain: d.domain,
        day,
        successful: Number(totals.ok),
        failed: Number(totals.failed),
        reports: totals.reports,
        verdict: advice?.advice.verdict ?? null,
        failures: failures.map((f) => ({ resultType: f.result_type, receivingMx: f.receiving_mx, sessions: Number(f.sessions) })),
      },
      this.config.alerts.publicBaseUrl,
    );
  }

  /** Sends yesterday's digest of every watched domain once (a digest already stored for that day is not sent again). */
  async sendAll(now: Date): Promise<{ day: string; sent: number }> {
    const day = new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
    let sent = 0;
    for (const d of await this.domains.listDomains()) {
      const digest = await this.digestOf(d, day);
      const text = digestText(digest);
      const row = await this.alerts.store.withDomainLock(d.domain, (m) =>
        this.alerts.store.recordUnlessSuppressed(
          m,
          { domain: d.domain, kind: 'digest', subject: day, message: text.split('\n')[1], evidence: { ...digest }, link: digest.link },
          now,
          Number.POSITIVE_INFINITY,
        ),
      );
      if (!row) continue;
      await this.alerts.deliver(row.id, {
        json: { type: 'digest', ...digest, sentAt: now.toISOString() },
        text,
        mailSubject: `[STS Pilot] Daily digest for ${d.domain}, ${day}`,
      });
      sent += 1;
    }
    return { day, sent };
  }
}
