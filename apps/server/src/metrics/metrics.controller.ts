import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@app/config';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { TokenService } from '../auth/token.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Open by default so a Prometheus scraper needs no secret; METRICS_REQUIRE_TOKEN=true asks for any valid token. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  async scrape(@Req() req: Request): Promise<string> {
    if (this.config.metrics.requireToken) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!match || !(await this.tokens.verify(match[1]))) {
        throw new UnauthorizedException('METRICS_REQUIRE_TOKEN is on: send an API token as "Authorization: Bearer <token>".');
      }
    }
    return this.metrics.render();
  }
}
