import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { AlertsService } from './alerts.service.js';

/** Hourly sweep for the alerts that come from time passing (silence, certificates) rather than from a check or a report. */
@Injectable()
export class AlertsJob implements OnModuleInit {
  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'alerts', intervalMs: 3_600_000, run: () => this.alerts.evaluateAll() });
  }
}
