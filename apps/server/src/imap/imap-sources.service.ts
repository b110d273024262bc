import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { ImapSourceRunner, pgSourceStateStore, tryLockSource, type SourceStatus } from '@app/imap-source';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { IngestService } from '../ingest/ingest.service.js';
import { LOGGER } from '../logging/logging.module.js';

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
  ) {
    const state = pgSourceStateStore(ds);
    this.runners = config.imapSources.map(
      (source) =>
        new ImapSourceRunner(source, {
          ingest: (raw, ctx) => ingest.ingestMail(raw, ctx),
          state,
          lock: (name) => tryLockSource(ds, name),
          maxMessageBytes: config.limits.maxMessageBytes,
          log,
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
