import type { ReportLimits } from './report.types.js';

export const DEFAULT_REPORT_LIMITS: Readonly<ReportLimits> = Object.freeze({
  maxPolicies: 1000,
  /** Counted across all policies of one report. */
  maxFailureDetails: 100_000,
  maxJsonDepth: 64,
});

const LIMIT_NAMES: readonly (keyof ReportLimits)[] = ['maxPolicies', 'maxFailureDetails', 'maxJsonDepth'];

/**
 * Merges caller limits over the defaults. A limit that is not a positive safe integer is a
 * programming or configuration error (0, NaN or a string must never switch a cap off), so it throws.
 */
export function resolveReportLimits(limits?: Partial<ReportLimits>): ReportLimits {
  const resolved: ReportLimits = { ...DEFAULT_REPORT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value: unknown = limits?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Report limit ${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    resolved[name] = value;
  }
  return resolved;
}
