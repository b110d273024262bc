import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { AlertDelivery } from './alert-delivery.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsJob } from './alerts.job.js';
import { AlertsService } from './alerts.service.js';

@Module({
  imports: [DomainsModule],
  controllers: [AlertsController],
  providers: [AlertDelivery, AlertsService, AlertsJob],
  exports: [AlertsService],
})
export class AlertsModule {}
