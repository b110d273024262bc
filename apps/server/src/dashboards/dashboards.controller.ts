import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock, CLOCK } from '../clock/clock.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { toCsv } from './csv.js';
import { BreakdownDto, DomainSeriesDto, DomainsOverviewDto } from './dashboards.dto.js';
import {
  breakdownDimension,
  breakdownQuery,
  periodQuery,
  BREAKDOWN_DIMENSIONS,
  type BreakdownDimension,
  type BreakdownQuery,
  type PeriodQuery,
} from './dashboards.query.js';
import { DashboardsService } from './dashboards.service.js';
import { resolvePeriod } from './period.js';

const PeriodParams = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiQuery({ name: 'from', required: false, description: 'First day YYYY-MM-DD (default: 29 days before `to`)' })(target, key, descriptor);
  ApiQuery({ name: 'to', required: false, description: 'Last day YYYY-MM-DD (default: today, UTC)' })(target, key, descriptor);
};

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('api/dashboards')
export class DashboardsController {
  constructor(
    @Inject(DashboardsService) private readonly dashboards: DashboardsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('domains')
  @PeriodParams()
  @ApiOkResponse({ type: DomainsOverviewDto, description: 'Every domain with sessions in the period' })
  overview(@Query(new ZodValidationPipe(periodQuery)) q: PeriodQuery) {
    return this.dashboards.overview(resolvePeriod(q, this.clock.now()));
  }

  @Get('domains/:domain/series')
  @PeriodParams()
  @ApiOkResponse({ type: DomainSeriesDto, description: 'One entry per day of the period, zero-filled' })
  series(@Param('domain', DomainParamPipe) domain: string, @Query(new ZodValidationPipe(periodQuery)) q: PeriodQuery) {
    return this.dashboards.series(domain, resolvePeriod(q, this.clock.now()));
  }

  @Get('domains/:domain/breakdowns/:dimension')
  @ApiParam({ name: 'dimension', enum: BREAKDOWN_DIMENSIONS })
  @PeriodParams()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'Most values listed, 1–10,000 (default 100 for JSON, 1,000 for CSV); the rest count in otherFailedSessions' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: BreakdownDto, description: 'Failed sessions by the dimension, largest first, with their share' })
  async breakdown(
    @Param('domain', DomainParamPipe) domain: string,
    @Param('dimension', new ZodValidationPipe(breakdownDimension)) dimension: BreakdownDimension,
    @Query(new ZodValidationPipe(breakdownQuery)) q: BreakdownQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.dashboards.breakdown(domain, dimension, resolvePeriod(q, this.clock.now()), q.limit);
    if (q.format === 'json') return result;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${domain}-${dimension}-${result.period.from}-${result.period.to}.csv"`);
    const rows = result.items.map((i) => ({ [dimension]: i.value, failed_sessions: i.failedSessions, share: i.share }));
    return toCsv([dimension, 'failed_sessions', 'share'], rows);
  }
}
