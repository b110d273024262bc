import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { PolicyHostingService } from './policy-hosting.service.js';

const NOT_FOUND = 'No MTA-STS policy is hosted for this host name.\n';

/**
 * RFC 8461 §3.3 policy hosting. Senders do not follow redirects and accept only a 200 with text/plain,
 * so this route writes its answer itself: no ETag/304, no redirect, no compression, no HTML, no auth, no rate limit.
 */
@Controller('.well-known')
@Public()
@SkipThrottle()
export class PolicyHostingController {
  constructor(@Inject(PolicyHostingService) private readonly hosting: PolicyHostingService) {}

  @Get('mta-sts.txt')
  async policy(@Req() req: Request, @Res() res: Response): Promise<void> {
    const served = await this.hosting.serve({
      host: req.hostname,
      clientIp: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    });
    const body = served === null ? NOT_FOUND : served.body;
    res.status(served === null ? 404 : 200);
    res.set({
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Length': String(Buffer.byteLength(body, 'utf8')),
    });
    res.end(body, 'utf8');
  }
}
