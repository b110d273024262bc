import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { undoMigrationsFrom, useTestDataSource } from './support/database.js';

const reportIndexes = async (ds: DataSource): Promise<string[]> =>
  (await ds.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'report' ORDER BY 1`)).map((r: { indexname: string }) => r.indexname);

// Every lookup by dedupe_org goes through report_dedupe_key, whose leading column it is.
describe('migration DropReportOrgIndex', () => {
  const ds = useTestDataSource();

  it('leaves the dedupe key to answer lookups by organization', async () => {
    const indexes = await reportIndexes(ds());
    expect(indexes).toContain('report_dedupe_key');
    expect(indexes).not.toContain('report_org_idx');
    const [{ def }] = await ds().query(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'report_dedupe_key'`);
    expect(def).toMatch(/\(dedupe_org, report_id, date_start, date_end\)/);
  });

  it('is undone and redone', async () => {
    await undoMigrationsFrom(ds(), 'DropReportOrgIndex1764700000000');
    expect(await reportIndexes(ds())).toContain('report_org_idx');
    await ds().runMigrations({ transaction: 'each' });
    expect(await reportIndexes(ds())).not.toContain('report_org_idx');
  });
});
