import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { pageQuery, type PageQuery } from '../domains/page.query.js';
import { PolicyHostingService } from './policy-hosting.service.js';

@Controller('api/domains/:domain/policy-fetches')
export class PolicyFetchesController {
  constructor(@Inject(PolicyHostingService) private readonly hosting: PolicyHostingService) {}

  @Get()
  list(@Param('domain', DomainParamPipe) domain: string, @Query(new ZodValidationPipe(pageQuery)) q: PageQuery) {
    return this.hosting.fetches(domain, q.limit, q.cursor);
  }
}
