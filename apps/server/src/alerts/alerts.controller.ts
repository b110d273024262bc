import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { alertListQuery, type AlertListQuery } from './alerts.query.js';
import { AlertsService } from './alerts.service.js';

@Controller('api/alerts')
export class AlertsController {
  constructor(@Inject(AlertsService) private readonly alerts: AlertsService) {}

  /** Alerts and digests as sent, newest first, with each channel's delivery result. */
  @Get()
  list(@Query(new ZodValidationPipe(alertListQuery)) q: AlertListQuery) {
    return this.alerts.store.list(q);
  }
}
