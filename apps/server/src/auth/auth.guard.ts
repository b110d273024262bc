import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { TokenScope } from '@app/store';
import type { Request } from 'express';
import { PUBLIC_KEY, SCOPE_KEY } from './auth.decorators.js';
import { TokenService } from './token.service.js';

/** Every route needs `Authorization: Bearer <token>` unless marked @Public(). No token → 401, wrong scope → 403. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<TokenScope>(SCOPE_KEY, targets) ?? 'read';
    const req = ctx.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('Send an API token as "Authorization: Bearer <token>".');
    const token = await this.tokens.verify(match[1]);
    if (!token) throw new UnauthorizedException('The API token is unknown or revoked.');
    if (required === 'admin' && token.scope !== 'admin') {
      throw new ForbiddenException('This action needs a token with the admin scope.');
    }
    return true;
  }
}
