import { Global, Module } from '@nestjs/common';
import { MonthRollupJobs } from './month-rollups.job.js';
import { RetentionJob } from './retention.job.js';
import { SchedulerService } from './scheduler.service.js';

/** Scheduled work (retention and the monthly rollup's upkeep here; checks, alerts and digests register their own jobs with SchedulerService). */
@Global()
@Module({ providers: [SchedulerService, RetentionJob, MonthRollupJobs], exports: [SchedulerService] })
export class SchedulerModule {}
