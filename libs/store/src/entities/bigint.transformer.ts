import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; our counts and ids stay far below 2^53. */
export const bigintToNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
