import { describe, expect, it } from 'vitest';
import { CommitPacing, MAX_SECOND_BATCH } from './commit-pacing.js';

/** Queues `n` messages one by one, as deliveries arrive. */
function queue(p: CommitPacing, from: number, n: number): number {
  for (let i = 1; i <= n; i++) p.queued(from + i);
  return from + n;
}

describe('CommitPacing', () => {
  it('with 50 senders and 49 of them in flight, a second batch waits for 25 messages, not 1', () => {
    const p = new CommitPacing();
    p.started(49);
    queue(p, 0, 1);
    expect(p.secondBatchSize()).toBe(25);
  });

  it('settles into two even batches: after one ends, half of the circulation is still the bar', () => {
    const p = new CommitPacing();
    p.started(25);
    const waiting = queue(p, 0, 25);
    expect(waiting).toBeGreaterThanOrEqual(p.secondBatchSize());
    p.started(25);
    p.ended(25, 0);
    expect(p.secondBatchSize()).toBe(23); // the peak of 50 fades by a tenth per finished batch
  });

  it('a single sender never reaches the bar (nothing waits while its own message is in flight)', () => {
    const p = new CommitPacing();
    for (let i = 0; i < 20; i++) {
      p.queued(1);
      p.started(1);
      p.ended(1, 0);
    }
    expect(p.secondBatchSize()).toBe(4);
  });

  it('forgets a past burst: the bar falls back to the minimum as the load drops', () => {
    const p = new CommitPacing();
    queue(p, 0, 60);
    p.started(60);
    p.ended(60, 0);
    expect(p.secondBatchSize()).toBe(27);
    for (let i = 0; i < 40; i++) {
      p.started(2);
      p.ended(2, 0);
    }
    expect(p.secondBatchSize()).toBe(4);
  });

  it('never asks for more than a full batch', () => {
    const p = new CommitPacing();
    queue(p, 0, 500);
    expect(p.secondBatchSize()).toBe(MAX_SECOND_BATCH);
  });
});
