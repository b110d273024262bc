import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@app/config';
import { IngestPipeline, NOT_VERIFIED_AT_RECEIPT } from '@app/ingest';
import { ReportWriter } from '@app/store';
import { undoMigrationsFrom, useTestDataSource } from './support/database.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';

const limits = (() => {
  const c = loadConfig({});
  if (!c.ok) throw new Error(c.error);
  return c.config.limits;
})();

const storageOf = (ds: DataSource) =>
  ds.query(
    `SELECT attrelid::regclass::text AS "table", attname AS "column", attstorage AS storage FROM pg_attribute
      WHERE (attrelid, attname) IN (('report'::regclass, 'report_gz'), ('raw_message'::regclass, 'bytes')) ORDER BY 1`,
  );

// Gzip and base64-of-gzip never compress by pglz's required 25 %: the columns holding them skip the attempt.
describe('migration IncompressibleBytesStorage', () => {
  const ds = useTestDataSource();

  it('stores report bodies and raw messages out of line without compression, byte for byte', async () => {
    expect(await storageOf(ds())).toEqual([
      { table: 'raw_message', column: 'bytes', storage: 'e' },
      { table: 'report', column: 'report_gz', storage: 'e' },
    ]);
    const failures = Array.from({ length: 3000 }, (_, k) => ({
      'result-type': 'certificate-expired',
      'sending-mta-ip': `198.51.${k >> 8}.${k & 255}`,
      'receiving-mx-hostname': 'mx1.example.com',
      'failed-session-count': 1 + (k % 5),
    }));
    const mail = buildReportMail({ payload: makeReport({ reportId: 'big-1', failed: 9000, failures }), gzip: true });
    const outcome = await new IngestPipeline(new ReportWriter(ds()), { limits }).ingestMail(Buffer.from(mail), {
      source: 'import',
      receivedAt: new Date(),
      envelope: {},
      dkim: NOT_VERIFIED_AT_RECEIPT,
    });
    expect(outcome.kind).toBe('accepted');
    const [row] = await ds().query(
      `SELECT m.bytes, octet_length(m.bytes) AS raw_length, pg_column_size(m.bytes) AS raw_stored,
              octet_length(r.report_gz) AS gz_length, pg_column_size(r.report_gz) AS gz_stored
         FROM raw_message m JOIN report r ON r.raw_message_id = m.id`,
    );
    expect(Buffer.from(row.bytes).toString()).toBe(mail);
    // Both are past the size at which PostgreSQL moves values out of line; they are kept there as they are.
    expect(row.raw_length).toBeGreaterThan(8000);
    expect(row.gz_length).toBeGreaterThan(8000);
    expect(row.raw_stored).toBe(row.raw_length);
    expect(row.gz_stored).toBe(row.gz_length);
  });

  it('is undone to the default storage and redone', async () => {
    await undoMigrationsFrom(ds(), 'IncompressibleBytesStorage1764500000000');
    expect((await storageOf(ds())).map((r: { storage: string }) => r.storage)).toEqual(['x', 'x']);
    await ds().runMigrations({ transaction: 'each' });
    expect((await storageOf(ds())).map((r: { storage: string }) => r.storage)).toEqual(['e', 'e']);
  });
});
