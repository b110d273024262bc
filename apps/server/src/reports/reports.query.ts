import { z } from 'zod';

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time')
  .transform((s) => new Date(s));

/** Whitelisted sort keys; a leading `-` sorts descending. Ties break on id in the same direction (keyset pagination). */
export const REPORT_SORTS = ['-id', 'id', '-receivedAt', 'receivedAt', '-dateStart', 'dateStart'] as const;

export const reportListQuery = z
  .object({
    domain: z.string().min(1).max(253).optional(),
    organization: z.string().min(1).max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** `nextCursor` of the previous page: `<id>` when sorted by id, `<epoch ms>.<id>` for the time sorts. */
    cursor: z
      .string()
      .regex(/^\d{1,16}(\.\d{1,16})?$/, 'must be the nextCursor of the previous page')
      .transform((c) => {
        const [a, b] = c.split('.');
        return b === undefined ? { at: null, id: Number(a) } : { at: Number(a), id: Number(b) };
      })
      .optional(),
    sort: z.enum(REPORT_SORTS).default('-id'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.cursor && (q.cursor.at === null) !== (q.sort === 'id' || q.sort === '-id')) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: `is not a cursor of sort ${q.sort}` });
    }
  });

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
