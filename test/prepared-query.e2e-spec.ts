import { describe, expect, it } from 'vitest';
import { preparedQuery, preparedQueryEachRow } from '../apps/server/src/dashboards/prepared-query.js';
import { useTestDataSource } from './support/database.js';

// Dashboard reads that hand rows over one at a time (the breakdowns) must leave the pool as they found it, whatever
// goes wrong. The pool here has one connection, so every later call reuses the one that failed.
describe('preparedQueryEachRow: rows as they arrive, on a pool of one connection', () => {
  const ds = useTestDataSource({ poolSize: 1, migrate: false });

  const SERIES = 'SELECT g FROM generate_series(1, $1::int) AS g ORDER BY g';

  it('hands every row over in order', async () => {
    const seen: number[] = [];
    await expect(preparedQueryEachRow<{ g: number }>(ds(), SERIES, [5], (row) => seen.push(row.g))).resolves.toBeUndefined();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('a callback that throws fails the call with its error, sees no later row, and the connection serves the next call', async () => {
    const seen: number[] = [];
    const call = preparedQueryEachRow<{ g: number }>(ds(), SERIES, [5], (row) => {
      seen.push(row.g);
      if (row.g === 2) throw new Error('no sum for row 2');
    });
    await expect(call).rejects.toThrow('no sum for row 2');
    expect(seen).toEqual([1, 2]);
    expect(await preparedQuery<{ g: number }>(ds(), SERIES, [3])).toEqual([{ g: 1 }, { g: 2 }, { g: 3 }]);
  });

  it('a statement that fails part-way hands over the rows before it, rejects with PostgreSQL\'s error, and the pool serves the next call', async () => {
    const seen: number[] = [];
    const failing = 'SELECT 10 / (3 - g) AS q FROM generate_series(1, $1::int) AS g';
    await expect(preparedQueryEachRow<{ q: number }>(ds(), failing, [5], (row) => seen.push(row.q))).rejects.toThrow(/division by zero/);
    expect(seen).toEqual([5, 10]);
    const after: number[] = [];
    await preparedQueryEachRow<{ g: number }>(ds(), SERIES, [2], (row) => after.push(row.g));
    expect(after).toEqual([1, 2]);
  });
});
