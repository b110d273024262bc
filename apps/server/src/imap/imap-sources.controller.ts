import { Controller, Get, Inject } from '@nestjs/common';
import { ImapSourcesService } from './imap-sources.service.js';

/** Read scope (the default): where each mailbox source stands. Never includes credentials. */
@Controller('api/sources')
export class ImapSourcesController {
  constructor(@Inject(ImapSourcesService) private readonly sources: ImapSourcesService) {}

  @Get()
  list() {
    return { sources: this.sources.statuses() };
  }
}
