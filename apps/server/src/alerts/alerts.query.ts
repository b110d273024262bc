import { ALERT_KINDS } from '@app/alerts';
import { z } from 'zod';

export const alertListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.coerce.number().int().positive().optional(),
    domain: z.string().min(1).max(253).toLowerCase().optional(),
    kind: z.enum([...ALERT_KINDS, 'digest']).optional(),
  })
  .strict();

export type AlertListQuery = z.infer<typeof alertListQuery>;
