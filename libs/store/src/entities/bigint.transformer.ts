import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; session counts and their sums are held to 2^53 - 1 (`SESSION_COUNT_CEILING`) and ids stay far below it. */
export const bigintToNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
