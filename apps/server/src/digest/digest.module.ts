import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { DigestJob } from './digest.job.js';
import { DigestService } from './digest.service.js';

@Module({ imports: [DomainsModule, AlertsModule], providers: [DigestService, DigestJob], exports: [DigestService] })
export class DigestModule {}
