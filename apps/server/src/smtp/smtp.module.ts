import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { SmtpListenerService } from './smtp-listener.service.js';

@Module({ imports: [IngestModule], providers: [SmtpListenerService], exports: [SmtpListenerService] })
export class SmtpModule {}
