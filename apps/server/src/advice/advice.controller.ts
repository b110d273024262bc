import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { DomainsService } from '../domains/domains.service.js';
import { pageQuery, type PageQuery } from '../domains/page.query.js';
import { AdviceService } from './advice.service.js';

@Controller('api/domains/:domain/advice')
export class AdviceController {
  constructor(
    @Inject(AdviceService) private readonly advice: AdviceService,
    @Inject(DomainsService) private readonly domains: DomainsService,
  ) {}

  @Get()
  async current(@Param('domain', DomainParamPipe) domain: string) {
    return this.advice.evaluate(await this.domains.require(domain), { trigger: 'request' });
  }

  @Get('history')
  async history(@Param('domain', DomainParamPipe) domain: string, @Query(new ZodValidationPipe(pageQuery)) q: PageQuery) {
    return this.advice.history(await this.domains.require(domain), q.limit, q.cursor);
  }
}
