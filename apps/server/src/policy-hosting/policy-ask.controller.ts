import { Controller, Get, HttpCode, Inject, NotFoundException, Query } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators.js';
import { PolicyHostingService } from './policy-hosting.service.js';

/**
 * The `ask` endpoint of a reverse proxy with on-demand TLS (Caddy: `on_demand_tls { ask ... }`): 200 only
 * for `mta-sts.<watched domain>`, so the proxy never requests certificates for names nobody registered.
 */
@Controller('api/policy-hosting')
@Public()
@SkipThrottle()
export class PolicyAskController {
  constructor(@Inject(PolicyHostingService) private readonly hosting: PolicyHostingService) {}

  @Get('ask')
  @HttpCode(200)
  async ask(@Query('domain') host: string | undefined) {
    const domain = await this.hosting.watchedPolicyDomain(typeof host === 'string' ? host : undefined);
    if (domain === null) throw new NotFoundException({ statusCode: 404, error: 'Not Found', code: 'NOT_A_POLICY_HOST', message: 'Not the policy host of a watched domain.' });
    return { host: `mta-sts.${domain}`, domain };
  }
}
