import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/** Rate-limits the /api routes per client address; health (probes) and everything outside /api (metrics, report submission, policy hosting) are exempt. */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const path = ctx.switchToHttp().getRequest<Request>().path;
    return !path.startsWith('/api/') || path === '/api/health' || path.startsWith('/api/health/');
  }
}
