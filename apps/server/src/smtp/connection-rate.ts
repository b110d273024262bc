const WINDOW_MS = 60_000;

/**
 * Counts new connections per client address in a sliding 60-second window. The clock is passed in so the
 * listener stays the only place that reads it; stale entries are dropped as addresses come back or on `prune`.
 */
export class ConnectionRateLimiter {
  private readonly seen = new Map<string, number[]>();
  private lastPrune = 0;

  constructor(private readonly maxPerMinute: number) {}

  /** Records one connection attempt and says whether it is within the limit (refused attempts count too). */
  admit(ip: string, now: number): { ok: true } | { ok: false; attempts: number } {
    const recent = (this.seen.get(ip) ?? []).filter((t) => now - t < WINDOW_MS);
    recent.push(now);
    // Only the newest max+1 times matter to the verdict: a flood from one address cannot grow this list.
    if (recent.length > this.maxPerMinute + 1) recent.splice(0, recent.length - this.maxPerMinute - 1);
    this.seen.set(ip, recent);
    if (this.seen.size > 10_000 && now - this.lastPrune >= 1_000) this.prune(now);
    return recent.length > this.maxPerMinute ? { ok: false, attempts: recent.length } : { ok: true };
  }

  prune(now: number): void {
    this.lastPrune = now;
    for (const [ip, times] of this.seen) {
      if (times.every((t) => now - t >= WINDOW_MS)) this.seen.delete(ip);
    }
  }
}
