import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { applyRetention } from '@app/store';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { SchedulerService } from './scheduler.service.js';

/** Daily: drops raw bytes and failure details past their retention (rollups and policy history are kept). */
@Injectable()
export class RetentionJob implements OnModuleInit {
  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: 'retention',
      intervalMs: 86_400_000,
      run: (now) => applyRetention(this.ds, { rawDays: this.config.retention.rawDays, failureDays: this.config.retention.failureDays, now }),
    });
  }
}
