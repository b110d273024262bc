import type { AlertCandidate } from './alert.types.js';

export function suppressionKey(a: Pick<AlertCandidate, 'domain' | 'kind' | 'subject'>): string {
  return `${a.domain}|${a.kind}|${a.subject}`;
}

/** A repeat of an alert sent less than `hours` ago is suppressed. */
export function isSuppressed(lastSentAt: Date | null, now: Date, hours: number): boolean {
  return lastSentAt !== null && now.getTime() - lastSentAt.getTime() < hours * 3_600_000;
}
