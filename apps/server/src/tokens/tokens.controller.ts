import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/auth.decorators.js';
import { TokenService } from '../auth/token.service.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { CreatedTokenDto, CreateTokenBodyDto, TokenListDto } from './tokens.dto.js';

const createTokenBody = z.object({ name: z.string().trim().min(1).max(200), scope: z.enum(['read', 'admin']).default('read') }).strict();
const tokenId = z.coerce.number().int().positive();

const iso = (d: Date | null) => (d ? d.toISOString() : null);

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/tokens')
@RequireScope('admin')
export class TokensController {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  @Get()
  @ApiOkResponse({ type: TokenListDto })
  async list() {
    const rows = await this.tokens.list();
    return {
      items: rows.map((t) => ({
        id: t.id,
        name: t.name,
        scope: t.scope,
        prefix: t.tokenPrefix,
        createdAt: iso(t.createdAt),
        lastUsedAt: iso(t.lastUsedAt),
        revokedAt: iso(t.revokedAt),
      })),
    };
  }

  @Post()
  @ApiBody({ type: CreateTokenBodyDto })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  create(@Body(new ZodValidationPipe(createTokenBody)) body: z.infer<typeof createTokenBody>) {
    return this.tokens.create(body.name, body.scope);
  }

  /** Revocation takes effect on the next request: every request re-checks the token in the database. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@Param('id', new ZodValidationPipe(tokenId)) id: number): Promise<void> {
    if (!(await this.tokens.revoke(id))) throw new NotFoundException(`No active token with id ${id}.`);
  }
}
