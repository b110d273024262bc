import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { compactClosedMonths } from '@app/store';
import { DataSource } from 'typeorm';
import { SchedulerService } from './scheduler.service.js';

/** Hourly: stores the dimension lists of ended months ready to send, so breakdowns over them read rather than format. */
@Injectable()
export class MonthCompactionJob implements OnModuleInit {
  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'month-compaction', intervalMs: 3_600_000, run: (now) => compactClosedMonths(this.ds, { now }) });
  }
}
