import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { ImapSourceRunner, pgSourceStateStore, tryLockSource, type SourceStatus } from '@app/imap-source';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { IngestService } from '../ingest/ingest.service.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { registerImapMetrics } from './imap-metrics.js';

/**
 * Runs every configured IMAP source for the life of the server. A source that cannot connect only backs off and
 * reports its error at /api/sources; it never stops the server or the other sources.
 */
@Injectable()
export class ImapSourcesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ImapSourceRunner[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(IngestService) ingest: IngestService,
    @Inject(DataSource) ds: DataSource,
    @Inject(LOGGER) log: Logger,
    @Optional() @Inject(MetricsService) metrics: MetricsService | null,
  ) {
    const state = pgSourceStateStore(ds);
    const counters = metrics && config.imapSources.length ? registerImapMetrics(metrics.registry, () => this.statuses()) : null;
    this.runners = config.imapSources.map(
      (source) =>
        new ImapSourceRunner(source, {
          ingest: (raw, ctx) => ingest.ingestMail(raw, ctx),
          state,
          lock: (name) => tryLockSource(ds, name),
          maxMessageBytes: config.limits.maxMessageBytes,
          log,
          onRound: (name, result) => counters?.round(name, result),
          onError: (name, code) => counters?.error(name, code),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const r of this.runners) r.start();
  }

  /** Before the database closes: a round in progress settles its current message first. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  statuses(): SourceStatus[] {
    return this.runners.map((r) => r.status());
  }
}
