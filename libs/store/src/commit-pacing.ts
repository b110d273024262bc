/** The smallest second batch worth its own transaction: below it, PostgreSQL's per-statement cost outweighs the overlap. */
const MIN_SECOND_BATCH = 4;
/** The most messages one batch takes: with this many waiting, another transaction always starts. */
export const MAX_SECOND_BATCH = 64;
/** How fast the remembered peak of messages in circulation fades once fewer arrive (per finished batch). */
const PEAK_DECAY = 0.9;

/**
 * When the report writer starts a second transaction while one is in flight. Sending the next batch the moment the
 * previous one returns splits the senders unevenly: nearly all of them in one batch and a few in the next, which takes
 * as long as the large one while everyone else waits behind it (bench case 1: batches of 49, 1, 48, 2…). Starting the
 * second batch once half of the messages in circulation are waiting settles into two even batches that overlap, so a
 * delivery waits for about one batch's round trip instead of two. With the database a 2 ms round trip away that
 * carried 16 % more messages a second; on one two-core machine with the database beside the server it was neither
 * better nor worse (docs/benchmarks.md).
 */
export class CommitPacing {
  private inFlight = 0;
  private peak = 0;

  /** A message joined the queue, which is now `queued` long. */
  queued(queued: number): void {
    this.peak = Math.max(this.peak, this.inFlight + queued);
  }

  /** A transaction of `messages` was started. */
  started(messages: number): void {
    this.inFlight += messages;
  }

  /** A transaction of `messages` ended (committed or not); `queued` are still waiting. */
  ended(messages: number, queued: number): void {
    this.inFlight -= messages;
    this.peak = Math.max(this.inFlight + queued, this.peak * PEAK_DECAY);
  }

  /** How many messages must be waiting before another transaction starts beside the ones in flight. */
  secondBatchSize(): number {
    return Math.min(MAX_SECOND_BATCH, Math.max(MIN_SECOND_BATCH, Math.ceil(this.peak / 2)));
  }
}
