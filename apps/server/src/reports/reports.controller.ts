import { Controller, Get, Header, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { ReportDetailDto, ReportListDto } from './reports.dto.js';
import { idParam, reportListQuery, type ReportListQuery } from './reports.query.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @Get()
  @ApiOkResponse({ type: ReportListDto, description: 'Reports, newest first unless `sort` says otherwise' })
  list(@Query(new ZodValidationPipe(reportListQuery)) q: ReportListQuery) {
    return this.reports.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReportDetailDto, description: 'One report with its policies, failures, warnings and DKIM verdict' })
  detail(@Param('id', new ZodValidationPipe(idParam)) id: number) {
    return this.reports.detail(id);
  }

  @Get(':id/raw')
  @ApiOkResponse({
    description: 'The raw message as received (410 once retention removed it)',
    content: { 'message/rfc822': { schema: { type: 'string', format: 'binary' } } },
  })
  @Header('Content-Type', 'message/rfc822')
  async raw(@Param('id', new ZodValidationPipe(idParam)) id: number) {
    return new StreamableFile(await this.reports.rawMessage(id), { disposition: `attachment; filename="report-${id}.eml"` });
  }
}
