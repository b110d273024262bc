/** The UTC day (YYYY-MM-DD) of an instant: a report's day is that of its start. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
