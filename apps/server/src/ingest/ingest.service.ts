import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { IngestPipeline, type DnsTxtResolver, type IngestContext, type IngestOutcome } from '@app/ingest';
import { ReportWriter } from '@app/store';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { INGEST_LISTENER, type IngestListener } from '../daily-loop/ingest-listener.js';
import { meteredWriter } from '../metrics/metered-writer.js';
import { MetricsService } from '../metrics/metrics.service.js';

export const DKIM_RESOLVER = Symbol('DKIM_RESOLVER');

@Injectable()
export class IngestService {
  private readonly pipeline: IngestPipeline;

  constructor(
    @Inject(DataSource) ds: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DKIM_RESOLVER) dkimResolver: DnsTxtResolver | null,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Optional() @Inject(INGEST_LISTENER) private readonly listener: IngestListener | null = null,
  ) {
    this.pipeline = new IngestPipeline(meteredWriter(new ReportWriter(ds), metrics), {
      limits: config.limits,
      dkimResolver: dkimResolver ?? undefined,
    });
  }

  async ingestMail(raw: Buffer, ctx: IngestContext): Promise<IngestOutcome> {
    return this.count(ctx.source, await this.pipeline.ingestMail(raw, ctx));
  }

  async ingestPayload(body: Buffer, ctx: IngestContext & { headers?: Record<string, unknown> }): Promise<IngestOutcome> {
    return this.count(ctx.source, await this.pipeline.ingestPayload(body, ctx));
  }

  private count(source: string, outcome: IngestOutcome): IngestOutcome {
    if (outcome.kind === 'accepted') this.metrics.ingested(source, outcome.counts);
    else this.metrics.withoutReport(source);
    this.listener?.ingested(outcome);
    return outcome;
  }
}
