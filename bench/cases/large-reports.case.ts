import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { smtpLoad, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { cpuWindow, type CpuShare } from '../support/cpu.js';
import { googleReport, reportMail } from '../support/reports.js';
import { medianRound } from '../support/rounds.js';
import { startProduct } from './smtp-small.case.js';

const ROWS = 5000;
const WARM_REPORTS = 8;

/**
 * Failure rows stored per second through SMTP, against a raw COPY of the same rows into a table of the same shape
 * (columns and indexes). Product and COPY alternate for `rounds` rounds and the round with the median ratio is
 * reported: the machine's speed drifts within seconds.
 */
export async function runLargeReports(adminUrl: string, opts: { reports: number; connections: number; rounds: number }) {
  const url = await freshDatabase(adminUrl, 'sts_bench_large');
  const product = await startProduct(url);
  // Each round sends its own report ids (the product keeps every report).
  const messages = Array.from({ length: opts.reports * opts.rounds }, (_, i) => toSmtpData(reportMail(googleReport(i, ROWS), 'tlsrpt@reports.bench')));
  const c = new pg.Client({ connectionString: url });
  const rounds: Array<{ productRowsPerSec: number; copyRowsPerSec: number; failures: number; productCpu: CpuShare; copyCpu: CpuShare }> = [];
  try {
    // Warm-up: the parse, the writer's statements and PostgreSQL's caches, before the first timed round.
    await smtpLoad({ port: product.smtpPort, to: 'tlsrpt@reports.bench', connections: opts.connections, total: WARM_REPORTS, message: (i) => toSmtpData(reportMail(googleReport(900_000 + i, ROWS), 'tlsrpt@reports.bench')) });
    await c.connect();
    const body = copyBody(opts.reports);
    for (let round = 0; round < opts.rounds; round++) {
      // Each window writes 400,000 rows: a checkpoint before it keeps the one PostgreSQL would request for the
      // earlier windows' WAL out of this one (and out of the COPY's, below).
      await c.query('CHECKPOINT');
      const productCpu = await cpuWindow([product.child.pid!], 'sts_bench_large');
      const run = await smtpLoad({ port: product.smtpPort, to: 'tlsrpt@reports.bench', connections: opts.connections, total: opts.reports, message: (i) => messages[round * opts.reports + i] });
      const productShare = await productCpu.end();
      const copy = await timedCopy(c, body, opts.reports);
      rounds.push({
        productRowsPerSec: ((opts.reports - run.failures) * ROWS) / (run.wallMs / 1000),
        copyRowsPerSec: copy.rowsPerSec,
        failures: run.failures,
        productCpu: productShare,
        copyCpu: copy.cpu,
      });
    }
    const stored = Number((await c.query(`SELECT count(*) AS n FROM failure_detail`)).rows[0].n);
    const { median, ratios } = medianRound(rounds, (r) => r.productRowsPerSec / r.copyRowsPerSec);
    return {
      productRowsPerSec: median.productRowsPerSec,
      copyRowsPerSec: median.copyRowsPerSec,
      ratio: median.productRowsPerSec / median.copyRowsPerSec,
      roundRatios: ratios,
      stored,
      failures: rounds.reduce((n, r) => n + r.failures, 0),
      cpu: { product: median.productCpu, baseline: median.copyCpu },
    };
  } finally {
    await c.end();
    await product.stop();
  }
}

/** The COPY text of `reports` × 5,000 failure rows shaped like the product's. */
function copyBody(reports: number): string {
  const lines: string[] = [];
  for (let r = 0; r < reports; r++) {
    for (let k = 0; k < ROWS; k++) {
      lines.push(
        [r + 1, '2025-01-01', r + 1, k, 'bench.example', 'certificate-expired', 1 + (k % 7), `198.51.${(k >> 8) & 255}.${k & 255}`, `198.51.${(k >> 8) & 255}.${k & 255}`, `203.0.113.${k % 250}`, `203.0.113.${k % 250}`, `mx${k % 4}.bench.example`, '\\N', '\\N', 'bench'].join('\t'),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * One COPY into a fresh table of failure_detail's full shape (LIKE … INCLUDING ALL: columns, defaults, primary key
 * and BRIN index), so its rows cost the same to store.
 */
async function timedCopy(c: pg.Client, body: string, reports: number): Promise<{ rowsPerSec: number; cpu: CpuShare }> {
  await c.query(`DROP TABLE IF EXISTS copy_baseline`);
  await c.query(`CREATE TABLE copy_baseline (LIKE failure_detail INCLUDING ALL)`);
  await c.query('CHECKPOINT');
  const copyCpu = await cpuWindow([], 'sts_bench_large');
  const started = performance.now();
  await c.query('BEGIN');
  const stream = c.query(
    copyFrom(`COPY copy_baseline (report_pk, day, policy_pk, position, policy_domain, result_type, failed_session_count, sending_mta_ip,
      sending_mta_ip_inet, receiving_ip, receiving_ip_inet, receiving_mx_hostname, receiving_mx_helo, additional_information, failure_reason_code) FROM STDIN`),
  );
  await pipeline(Readable.from([body]), stream);
  await c.query('COMMIT');
  const rowsPerSec = (reports * ROWS) / ((performance.now() - started) / 1000);
  return { rowsPerSec, cpu: await copyCpu.end() };
}
