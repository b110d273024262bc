export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const DAY_SECONDS = 86_400;

/** RFC 3339 in UTC, without a fraction when it is zero: `2026-04-22T00:00:00Z`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** Day count for a message, rounded down to one decimal so that 13.99 days never reads as 14. */
export function formatDays(days: number): string {
  const tenths = Math.floor(days * 10 + 1e-9) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
