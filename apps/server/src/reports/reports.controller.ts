import { Controller, Get, Header, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { idParam, reportListQuery, type ReportListQuery } from './reports.query.js';
import { ReportsService } from './reports.service.js';

@Controller('api/reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @Get()
  list(@Query(new ZodValidationPipe(reportListQuery)) q: ReportListQuery) {
    return this.reports.list(q);
  }

  @Get(':id')
  detail(@Param('id', new ZodValidationPipe(idParam)) id: number) {
    return this.reports.detail(id);
  }

  @Get(':id/raw')
  @Header('Content-Type', 'message/rfc822')
  async raw(@Param('id', new ZodValidationPipe(idParam)) id: number) {
    return new StreamableFile(await this.reports.rawMessage(id), { disposition: `attachment; filename="report-${id}.eml"` });
  }
}
