import { z } from 'zod';

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time')
  .transform((s) => new Date(s));

export const reportListQuery = z
  .object({
    domain: z.string().min(1).max(253).optional(),
    organization: z.string().min(1).max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.coerce.number().int().positive().optional(),
  })
  .strict();

export type ReportListQuery = z.infer<typeof reportListQuery>;

export const idParam = z.coerce.number().int().positive();

export const quarantineListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.coerce.number().int().positive().optional(),
    resolved: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type QuarantineListQuery = z.infer<typeof quarantineListQuery>;
