import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';

/** Validates a query or body at the edge; a bad value gets 400 naming the field. */
export class ZodValidationPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}

  transform(value: unknown): T {
    // PostgreSQL text cannot hold U+0000: a NUL in any filter would surface as a database error (500), not a 400.
    const nul = findNul(value ?? {}, '');
    if (nul !== null) {
      const field = nul || 'request';
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', field, message: `${field}: must not contain a NUL character` });
    }
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'request';
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', field, message: `${field}: ${issue.message}` });
  }
}

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, path ? `${path}.${k}` : k);
      if (hit !== null) return hit;
    }
  }
  return null;
}
