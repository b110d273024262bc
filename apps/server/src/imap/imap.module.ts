import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { ImapSourcesController } from './imap-sources.controller.js';
import { ImapSourcesService } from './imap-sources.service.js';

@Module({ imports: [IngestModule], controllers: [ImapSourcesController], providers: [ImapSourcesService], exports: [ImapSourcesService] })
export class ImapModule {}
