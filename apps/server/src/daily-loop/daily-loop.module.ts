import { Global, Module } from '@nestjs/common';
import { AdviceModule } from '../advice/advice.module.js';
import { AlertsModule } from '../alerts/alerts.module.js';
import { ChecksService } from '../checks/checks.service.js';
import { DomainsModule } from '../domains/domains.module.js';
import { DailyLoopService } from './daily-loop.service.js';
import { INGEST_LISTENER } from './ingest-listener.js';

/** ChecksService is provided here too (ChecksModule does not export it): the scheduled check runs the same use case as POST .../checks. */
@Global()
@Module({
  imports: [DomainsModule, AdviceModule, AlertsModule],
  providers: [ChecksService, DailyLoopService, { provide: INGEST_LISTENER, useExisting: DailyLoopService }],
  exports: [INGEST_LISTENER],
})
export class DailyLoopModule {}
