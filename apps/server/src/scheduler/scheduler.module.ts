import { Global, Module } from '@nestjs/common';
import { MonthCompactionJob } from './month-compaction.job.js';
import { RetentionJob } from './retention.job.js';
import { SchedulerService } from './scheduler.service.js';

/** Scheduled work (retention and month compaction here; checks, alerts and digests register their own jobs with SchedulerService). */
@Global()
@Module({ providers: [SchedulerService, RetentionJob, MonthCompactionJob], exports: [SchedulerService] })
export class SchedulerModule {}
