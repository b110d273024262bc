import { BREAKDOWN_DIMENSIONS } from '../../apps/server/src/dashboards/dashboards.query.js';
import type { TestApp } from './test-app.js';

/**
 * Periods that read the month rollup in every way a breakdown can (seeded data of 2024-01-31 … 2024-03-10): whole
 * months only, one whole month, and days around a whole month.
 */
export const MONTH_READING_PERIODS = [
  ['2024-01-01', '2024-12-31'], // the year: monthly rows only
  ['2024-02-01', '2024-02-29'], // one whole month
  ['2024-01-15', '2024-03-05'], // days, a whole month, days
];

/** Every dimension's breakdown of `domain` over each period, in order: to compare answers before and after a change. */
export async function breakdownAnswers(app: TestApp, domain: string, periods = MONTH_READING_PERIODS): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const [from, to] of periods) {
    for (const dimension of BREAKDOWN_DIMENSIONS) {
      all.push(await app.json(`/api/dashboards/domains/${domain}/breakdowns/${dimension}?from=${from}&to=${to}&limit=10000`));
    }
  }
  return all;
}
