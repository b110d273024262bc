import { Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { RequireScope } from '../auth/auth.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { pageQuery, type PageQuery } from '../domains/page.query.js';
import { ChecksService } from './checks.service.js';

@Controller('api/domains/:domain/checks')
export class ChecksController {
  constructor(@Inject(ChecksService) private readonly checks: ChecksService) {}

  /** Admin: a check sends DNS queries, an HTTPS fetch and SMTP connections to the domain's hosts. */
  @Post()
  @RequireScope('admin')
  run(@Param('domain', DomainParamPipe) domain: string) {
    return this.checks.run(domain);
  }

  @Get()
  list(@Param('domain', DomainParamPipe) domain: string, @Query(new ZodValidationPipe(pageQuery)) q: PageQuery) {
    return this.checks.list(domain, q.limit, q.cursor);
  }
}
