import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * The pg connection under a TypeORM transaction's manager, for what TypeORM's `query` cannot do: COPY, and named
 * prepared statements (parsed and planned once per connection instead of on every call).
 */
export async function pgClientOf(m: EntityManager): Promise<pg.PoolClient> {
  const runner = m.queryRunner as unknown as { connect(): Promise<pg.PoolClient> } | undefined;
  if (!runner) throw new Error('pgClientOf needs a manager bound to a query runner (a transaction)');
  return runner.connect();
}
