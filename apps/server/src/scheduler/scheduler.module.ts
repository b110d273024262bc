import { Global, Module } from '@nestjs/common';
import { RetentionJob } from './retention.job.js';
import { SchedulerService } from './scheduler.service.js';

/** Scheduled work (retention here; checks, alerts and digests register their own jobs with SchedulerService). */
@Global()
@Module({ providers: [SchedulerService, RetentionJob], exports: [SchedulerService] })
export class SchedulerModule {}
