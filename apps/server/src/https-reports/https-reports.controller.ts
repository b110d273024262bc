import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  ServiceUnavailableException,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { AppConfig } from '@app/config';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { Public } from '../auth/auth.decorators.js';
import { collectMessage } from '../common/bounded-body.js';
import { APP_CONFIG } from '../config/config.module.js';
import { IngestService } from '../ingest/ingest.service.js';
import { LOGGER } from '../logging/logging.module.js';

/**
 * `rua=https://<host>/tlsrpt` (RPT-DLV-8/9): public, no token. Any declared content type is accepted and the
 * bytes are sniffed; the raw body is committed before 201. Duplicates and quarantined bodies also get 201.
 */
@Controller('tlsrpt')
export class HttpsReportsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  async submit(@Req() req: Request) {
    const max = this.config.limits.maxMessageBytes;
    const body = await collectMessage(req, max);
    if (!body.ok) throw new PayloadTooLargeException(`The report body exceeds the maximum size of ${max} bytes.`);
    const meta = { remoteAddress: req.ip ?? null, userAgent: req.get('user-agent') ?? null, contentType: req.get('content-type') ?? null };
    let outcome;
    try {
      outcome = await this.ingest.ingestPayload(body.raw, {
        source: 'https',
        receivedAt: new Date(),
        envelope: meta,
        headers: { contentType: meta.contentType, userAgent: meta.userAgent },
        dkim: 'verify',
      });
    } catch (err) {
      this.log.error({ err, ...meta }, 'HTTPS report not stored: internal failure, answered 503');
      throw new ServiceUnavailableException('Temporary failure storing the report, please retry later.');
    }
    if (outcome.kind === 'no-report') {
      this.log.info({ ...meta, reason: outcome.reason }, 'HTTPS report refused');
      throw new BadRequestException(`Not a TLS report: ${outcome.reason}.`);
    }
    this.log.info({ ...meta, ...outcome.counts }, 'HTTPS report accepted');
    return { ...outcome.counts, reportIds: outcome.reportIds, quarantineReasons: outcome.quarantineReasons, summary: outcome.summary };
  }
}
