import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { smtpLoad, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { cpuWindow, type CpuShare } from '../support/cpu.js';
import { googleReport, reportMail } from '../support/reports.js';
import { startProduct } from './smtp-small.case.js';

const ROWS = 5000;

/** Failure rows stored per second through SMTP, against a raw COPY of the same rows into a table of the same shape (columns and indexes). */
export async function runLargeReports(adminUrl: string, opts: { reports: number; connections: number }) {
  const url = await freshDatabase(adminUrl, 'sts_bench_large');
  const product = await startProduct(url);
  const messages = Array.from({ length: opts.reports }, (_, i) => toSmtpData(reportMail(googleReport(i, ROWS), 'tlsrpt@reports.bench')));
  await smtpLoad({ port: product.smtpPort, to: 'tlsrpt@reports.bench', connections: 2, total: 2, message: (i) => toSmtpData(reportMail(googleReport(900_000 + i, ROWS), 'tlsrpt@reports.bench')) });
  const productCpu = await cpuWindow([product.child.pid!], 'sts_bench_large');
  const run = await smtpLoad({ port: product.smtpPort, to: 'tlsrpt@reports.bench', connections: opts.connections, total: opts.reports, message: (i) => messages[i] });
  const cpu = await productCpu.end();
  await product.stop();
  const productRowsPerSec = ((opts.reports - run.failures) * ROWS) / (run.wallMs / 1000);

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const lines: string[] = [];
    for (let r = 0; r < opts.reports; r++) {
      for (let k = 0; k < ROWS; k++) {
        lines.push(
          [r + 1, '2025-01-01', r + 1, k, 'bench.example', 'certificate-expired', 1 + (k % 7), `198.51.${(k >> 8) & 255}.${k & 255}`, `198.51.${(k >> 8) & 255}.${k & 255}`, `203.0.113.${k % 250}`, `203.0.113.${k % 250}`, `mx${k % 4}.bench.example`, '\\N', '\\N', 'bench'].join('\t'),
        );
      }
    }
    const body = lines.join('\n') + '\n';
    // The median of three COPYs, each into a fresh table of the same shape: failure_detail's columns, defaults,
    // primary key and BRIN index (LIKE … INCLUDING ALL), so its rows cost the same to store.
    const copies: Array<{ rowsPerSec: number; cpu: CpuShare }> = [];
    for (let i = 0; i < 3; i++) {
      await c.query(`DROP TABLE IF EXISTS copy_baseline`);
      await c.query(`CREATE TABLE copy_baseline (LIKE failure_detail INCLUDING ALL)`);
      const copyCpu = await cpuWindow([], 'sts_bench_large');
      const started = performance.now();
      await c.query('BEGIN');
      const stream = c.query(
        copyFrom(`COPY copy_baseline (report_pk, day, policy_pk, position, policy_domain, result_type, failed_session_count, sending_mta_ip,
          sending_mta_ip_inet, receiving_ip, receiving_ip_inet, receiving_mx_hostname, receiving_mx_helo, additional_information, failure_reason_code) FROM STDIN`),
      );
      await pipeline(Readable.from([body]), stream);
      await c.query('COMMIT');
      copies.push({ rowsPerSec: (opts.reports * ROWS) / ((performance.now() - started) / 1000), cpu: await copyCpu.end() });
    }
    const median = copies.sort((a, b) => a.rowsPerSec - b.rowsPerSec)[1];
    const copyRowsPerSec = median.rowsPerSec;
    const baselineCpu = median.cpu;
    const stored = Number((await c.query(`SELECT count(*) AS n FROM failure_detail`)).rows[0].n);
    return { productRowsPerSec, copyRowsPerSec, ratio: productRowsPerSec / copyRowsPerSec, stored, failures: run.failures, cpu: { product: cpu, baseline: baselineCpu } };
  } finally {
    await c.end();
  }
}
