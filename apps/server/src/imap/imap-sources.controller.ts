import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ImapSourcesService } from './imap-sources.service.js';

/** Read scope (the default): where each mailbox source stands. Never includes credentials. */
@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/sources')
export class ImapSourcesController {
  constructor(@Inject(ImapSourcesService) private readonly sources: ImapSourcesService) {}

  @Get()
  @ApiOkResponse({ description: 'Each configured IMAP source: state, IDLE, last sync, last error (code, message), totals, UIDVALIDITY and last UID' })
  list() {
    return { sources: this.sources.statuses() };
  }
}
