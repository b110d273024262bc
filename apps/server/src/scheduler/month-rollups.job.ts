import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { compactClosedMonths, refreshStaleMonths } from '@app/store';
import { DataSource } from 'typeorm';
import { SchedulerService } from './scheduler.service.js';

/**
 * The monthly dimension rollup's upkeep, off the ingest path, hourly: the ended months ingest marked stale are
 * recomputed from their daily rows (breakdowns read those daily rows meanwhile), and ended months' rows written
 * otherwise (a rebuild, the dev seed) get their lists stored ready to send, so breakdowns over them read rather than
 * format.
 */
@Injectable()
export class MonthRollupJobs implements OnModuleInit {
  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'month-refresh', intervalMs: 3_600_000, run: (now) => refreshStaleMonths(this.ds, { now }) });
    this.scheduler.register({ name: 'month-compaction', intervalMs: 3_600_000, run: (now) => compactClosedMonths(this.ds, { now }) });
  }
}
