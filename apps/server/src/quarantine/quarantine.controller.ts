import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { QuarantineListDto } from '../reports/reports.dto.js';
import { quarantineListQuery, type QuarantineListQuery } from '../reports/reports.query.js';

@ApiTags('quarantine')
@ApiBearerAuth()
@Controller('api/quarantine')
export class QuarantineController {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  @Get()
  @ApiOkResponse({ type: QuarantineListDto, description: 'Quarantined report parts with their reasons, newest first' })
  async list(@Query(new ZodValidationPipe(quarantineListQuery)) q: QuarantineListQuery) {
    const params: unknown[] = [q.limit + 1];
    const where: string[] = [];
    if (q.resolved === 'true') where.push('q.resolved_at IS NOT NULL');
    if (q.resolved === 'false') where.push('q.resolved_at IS NULL');
    if (q.cursor) {
      params.push(q.cursor);
      where.push(`q.id < $${params.length}`);
    }
    const rows: any[] = await this.ds.query(
      `SELECT q.id, q.raw_message_id, q.part_index, q.reason_code, q.reason, q.created_at, q.resolved_at,
              q.resolved_report_pk, m.source, m.size_bytes, m.headers
         FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY q.id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        rawMessageId: Number(r.raw_message_id),
        partIndex: r.part_index,
        reasonCode: r.reason_code,
        reason: r.reason,
        source: r.source,
        sizeBytes: r.size_bytes,
        headers: r.headers,
        createdAt: new Date(r.created_at).toISOString(),
        resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
        resolvedReportId: r.resolved_report_pk === null ? null : Number(r.resolved_report_pk),
      })),
      nextCursor: rows.length > q.limit ? Number(page[page.length - 1].id) : null,
    };
  }
}
