import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { DigestService } from './digest.service.js';

/** Once per UTC day (slots are aligned to midnight UTC): the previous day's digest of every watched domain. */
@Injectable()
export class DigestJob implements OnModuleInit {
  constructor(
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(DigestService) private readonly digests: DigestService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'digest', intervalMs: 86_400_000, run: (now) => this.digests.sendAll(now) });
  }
}
