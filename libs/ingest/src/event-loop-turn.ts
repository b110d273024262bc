import { setImmediate as checkPhase } from 'node:timers/promises';

/**
 * Lets the event loop read the I/O that arrived meanwhile (other deliveries' database replies, SMTP commands) before
 * the next synchronous step of a report: decoding and parsing a large one take milliseconds each, and other
 * transactions' next statements would otherwise wait behind them. One `setImmediate` is not enough: called while the
 * loop is handling I/O it resumes in the same iteration's check phase, before the loop polls for new I/O; the second
 * one resumes only after that poll.
 */
export async function eventLoopTurn(): Promise<void> {
  await checkPhase();
  await checkPhase();
}
