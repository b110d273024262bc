import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { RequireScope } from '../auth/auth.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from '../domains/domain-param.pipe.js';
import { TransitionsService } from './transitions.service.js';

const acceptBody = z.object({ proposalId: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be the id of the current proposal') }).strict();

@Controller('api/domains/:domain/transitions')
export class TransitionsController {
  constructor(@Inject(TransitionsService) private readonly transitions: TransitionsService) {}

  @Post()
  @RequireScope('admin')
  accept(@Param('domain', DomainParamPipe) domain: string, @Body(new ZodValidationPipe(acceptBody)) body: z.infer<typeof acceptBody>) {
    return this.transitions.accept(domain, body.proposalId);
  }

  @Get()
  list(@Param('domain', DomainParamPipe) domain: string) {
    return this.transitions.list(domain);
  }
}
