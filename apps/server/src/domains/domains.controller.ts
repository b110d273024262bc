import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { RequireScope } from '../auth/auth.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DomainParamPipe } from './domain-param.pipe.js';
import { DomainsService } from './domains.service.js';

const addDomainBody = z.object({ domain: z.string().min(1).max(300) }).strict();

@Controller('api/domains')
export class DomainsController {
  constructor(@Inject(DomainsService) private readonly domains: DomainsService) {}

  /** Idempotent: 201 when the domain is new, 200 with the existing entry when it is already watched. */
  @Post()
  @RequireScope('admin')
  async add(@Body(new ZodValidationPipe(addDomainBody)) body: z.infer<typeof addDomainBody>, @Res({ passthrough: true }) res: Response) {
    const domain = new DomainParamPipe().transform(body.domain);
    const r = await this.domains.add(domain);
    res.status(r.created ? 201 : 200);
    return r;
  }

  @Get()
  list() {
    return this.domains.list();
  }

  @Get(':domain')
  detail(@Param('domain', DomainParamPipe) domain: string) {
    return this.domains.detail(domain);
  }

  @Delete(':domain')
  @RequireScope('admin')
  @HttpCode(204)
  async remove(@Param('domain', DomainParamPipe) domain: string): Promise<void> {
    await this.domains.remove(domain);
  }
}
