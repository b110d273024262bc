export interface ScheduledJob {
  /** Stable name: the unit of "runs once across processes". */
  name: string;
  intervalMs: number;
  run(now: Date): Promise<unknown>;
}
