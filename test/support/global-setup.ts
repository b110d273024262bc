import type { TestProject } from 'vitest/node';
import { resolveDatabase } from '../../libs/store/src/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/**
 * Uses DATABASE_URL when set; otherwise starts embedded PostgreSQL under ./data/test-pg once for the whole run.
 * Each test file then creates its own database (see database.ts), so files run in parallel.
 */
export default async function setup(project: TestProject) {
  const handle = await resolveDatabase({
    url: process.env.DATABASE_URL || null,
    dataDir: './data/test-pg',
    embeddedPort: 54339,
    log: (line) => console.log(line),
  });
  project.provide('adminDatabaseUrl', handle.url);
  return async () => {
    await handle.stop();
  };
}
