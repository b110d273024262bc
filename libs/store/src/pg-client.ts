import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * The pg connection under a manager bound to a TypeORM query runner (in a transaction or not), for what TypeORM's `query` cannot do: COPY, and named
 * prepared statements.
 */
export async function pgClientOf(m: EntityManager): Promise<pg.PoolClient> {
  const runner = m.queryRunner as unknown as { connect(): Promise<pg.PoolClient> } | undefined;
  if (!runner) throw new Error('pgClientOf needs a manager bound to a query runner');
  return runner.connect();
}

/**
 * Runs `text` as the named prepared statement `name` on the manager's connection: each connection parses and plans it
 * once, which for the writer's large statements cost more than running them on a small batch. Only for statements
 * whose best plan does not depend on table sizes (the plan is kept as the tables grow).
 */
export async function namedQuery<R extends pg.QueryResultRow>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<R[]> {
  const client = await pgClientOf(m);
  return (await client.query<R>({ name, text, values })).rows;
}
