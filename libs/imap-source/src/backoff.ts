/** Exponential back-off after consecutive failures: base, 2×base, 4×base, ... never above `maxMs`. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}
