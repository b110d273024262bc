import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { claimJobSlot, finishJobSlot } from '@app/store';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import { LOGGER } from '../logging/logging.module.js';
import type { ScheduledJob } from './scheduled-job.js';

/**
 * Runs registered jobs at their interval. Each run is claimed in the `job_run` table first, so when several server
 * processes share the database each slot of each job runs in exactly one of them.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly jobs: ScheduledJob[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = new Set<string>();
  readonly instance = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(job: ScheduledJob): void {
    this.jobs.push(job);
  }

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    this.timer = setInterval(() => void this.tick(), 30_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs every due job whose current slot no process has claimed yet. Returns the names of the jobs it ran. */
  async tick(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      if (this.running.has(job.name)) continue;
      const now = this.clock.now();
      const slot = await claimJobSlot(this.ds, job.name, job.intervalMs, now, this.instance).catch((err) => {
        this.log.warn({ err, job: job.name }, 'Could not claim a scheduled job run');
        return null;
      });
      if (slot === null) continue;
      this.running.add(job.name);
      try {
        const result = await job.run(now);
        await finishJobSlot(this.ds, job.name, slot, { result });
        this.log.info({ job: job.name, result }, 'Scheduled job done');
        ran.push(job.name);
      } catch (err) {
        this.log.error({ err, job: job.name }, 'Scheduled job failed');
        await finishJobSlot(this.ds, job.name, slot, { error: err instanceof Error ? err.message : String(err) }).catch(() => {});
      } finally {
        this.running.delete(job.name);
      }
    }
    return ran;
  }
}
