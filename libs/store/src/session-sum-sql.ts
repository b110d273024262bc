import { SESSION_COUNT_CEILING } from '@app/tlsrpt';

/**
 * SQL for a sum of session counts held to `SESSION_COUNT_CEILING` (bigint or numeric in, the same out). Two stored
 * counts are each at most 2^53 - 1, so adding them in bigint cannot overflow before the cap; `sum()` of bigint is
 * numeric, which never overflows.
 */
export function atMostCeilingSql(sum: string): string {
  return `LEAST(${sum}, ${SESSION_COUNT_CEILING})`;
}
