import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { IngestPipeline, type DnsTxtResolver, type IngestContext, type IngestOutcome } from '@app/ingest';
import { ReportWriter } from '@app/store';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';

export const DKIM_RESOLVER = Symbol('DKIM_RESOLVER');

@Injectable()
export class IngestService {
  private readonly pipeline: IngestPipeline;

  constructor(
    @Inject(DataSource) ds: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DKIM_RESOLVER) dkimResolver: DnsTxtResolver | null,
  ) {
    this.pipeline = new IngestPipeline(new ReportWriter(ds), {
      limits: config.limits,
      dkimResolver: dkimResolver ?? undefined,
    });
  }

  ingestMail(raw: Buffer, ctx: IngestContext): Promise<IngestOutcome> {
    return this.pipeline.ingestMail(raw, ctx);
  }

  ingestPayload(body: Buffer, ctx: IngestContext & { headers?: Record<string, unknown> }): Promise<IngestOutcome> {
    return this.pipeline.ingestPayload(body, ctx);
  }
}
