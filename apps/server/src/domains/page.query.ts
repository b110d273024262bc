import { z } from 'zod';

/** Newest first, keyset-paginated on id: pass `nextCursor` back as `cursor`. */
export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.coerce.number().int().positive().optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuery>;
