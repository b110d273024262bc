import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock, CLOCK } from '../clock/clock.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { csvLine } from './csv.js';
import { FailureExportRowDto } from './dashboards.dto.js';
import { failureExportQuery, type FailureExportQuery } from './dashboards.query.js';
import { FAILURE_CSV_COLUMNS, FailureExportService } from './failure-export.service.js';
import { resolvePeriod } from './period.js';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/exports')
export class FailureExportController {
  constructor(
    @Inject(FailureExportService) private readonly exporter: FailureExportService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Streams one row per failure detail (parsedmarc's SMTP TLS CSV columns), oldest row first. */
  @Get('failures')
  @ApiQuery({ name: 'domain', required: true })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: [FailureExportRowDto] })
  async failures(@Query(new ZodValidationPipe(failureExportQuery)) q: FailureExportQuery, @Res() res: Response): Promise<void> {
    const domain = new DomainParamPipe().transform(q.domain);
    const period = resolvePeriod(q, this.clock.now());
    const name = `${domain}-failures-${period.from}-${period.to}.${q.format}`;
    res.setHeader('Content-Type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    const rows = this.exporter.rows(domain, period);
    try {
      if (q.format === 'csv') {
        await write(res, csvLine([...FAILURE_CSV_COLUMNS]));
        for await (const row of rows) await write(res, csvLine(FAILURE_CSV_COLUMNS.map((c) => row[c])));
      } else {
        let first = true;
        await write(res, '[');
        for await (const row of rows) {
          await write(res, (first ? '\n' : ',\n') + JSON.stringify(row));
          first = false;
        }
        await write(res, '\n]\n');
      }
      res.end();
    } catch (err) {
      // Headers are gone once the first row is out: cut the connection so the client sees a truncated download.
      res.destroy(err as Error);
    }
  }
}

/** Respects back-pressure so a slow client does not make the export buffer in memory. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new Error('client went away'));
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      if (res.destroyed) reject(new Error('client went away'));
      else resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
