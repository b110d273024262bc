import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/auth.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { ReparseAllDto, ReparseOutcomeDto } from './quarantine-reparse.dto.js';
import { QuarantineReparseService } from './quarantine-reparse.service.js';

const quarantineId = z.coerce.number().int().positive();

@ApiTags('quarantine')
@ApiBearerAuth()
@Controller('api/quarantine')
@RequireScope('admin')
export class QuarantineReparseController {
  constructor(@Inject(QuarantineReparseService) private readonly reparser: QuarantineReparseService) {}

  @Post('reparse')
  @HttpCode(200)
  @ApiOkResponse({ type: ReparseAllDto, description: 'Every open entry re-parsed with the current parser' })
  all() {
    return this.reparser.reparseAll();
  }

  @Post(':id/reparse')
  @HttpCode(200)
  @ApiOkResponse({ type: ReparseOutcomeDto })
  one(@Param('id', new ZodValidationPipe(quarantineId)) id: number) {
    return this.reparser.reparseOne(id);
  }
}
