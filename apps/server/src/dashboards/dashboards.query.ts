import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar day');

/** Longest period one request may cover (days); a yearly view and then some. */
export const MAX_PERIOD_DAYS = 731;

const periodShape = { from: day.optional(), to: day.optional() };

export const periodQuery = z.object(periodShape).strict();
export type PeriodQuery = z.infer<typeof periodQuery>;

export const exportFormat = z.enum(['json', 'csv']).default('json');

/** Values a breakdown lists when the request names no limit: a screen's top N (the rest is summed as "other"), a whole export. */
export const BREAKDOWN_DEFAULT_LIMIT = { json: 100, csv: 1000 } as const;

export const breakdownQuery = z
  .object({ ...periodShape, format: exportFormat, limit: z.coerce.number().int().min(1).max(10_000).optional() })
  .strict()
  .transform((q) => ({ ...q, limit: q.limit ?? BREAKDOWN_DEFAULT_LIMIT[q.format] }));
export type BreakdownQuery = z.infer<typeof breakdownQuery>;

export const failureExportQuery = z.object({ ...periodShape, domain: z.string().min(1).max(300), format: exportFormat }).strict();
export type FailureExportQuery = z.infer<typeof failureExportQuery>;

/** Breakdown dimensions, as they appear in URLs and in daily_failure_dimension.dimension. */
export const BREAKDOWN_DIMENSIONS = ['organization', 'receiving-mx', 'receiving-ip', 'sending-ip', 'result-type', 'failure-reason-code'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const breakdownDimension = z.enum(BREAKDOWN_DIMENSIONS);
