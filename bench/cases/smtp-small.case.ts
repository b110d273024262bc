import { smtpLoad, percentile, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { cpuWindow, type CpuShare } from '../support/cpu.js';
import { freePort, startNode, type Proc } from '../support/processes.js';
import { googleReport, reportMail } from '../support/reports.js';

export interface SmtpCaseResult {
  baseline: { perSec: number; p50: number; p99: number };
  product: { perSec: number; p50: number; p99: number; committed: number };
  ratio: number;
  /** Cores each part used during the timed runs (where the product's time goes). */
  cpu: { baseline: CpuShare; product: CpuShare };
}

const RUA = 'tlsrpt@reports.bench';

/** The product as it runs in production: the built server as its own process, talking to PostgreSQL. */
export async function startProduct(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Proc & { smtpPort: number }> {
  const smtpPort = await freePort();
  const proc = await startNode(
    [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), 'dist/apps/server/src/main.js'],
    {
      DATABASE_URL: databaseUrl,
      SMTP_HOST: '127.0.0.1',
      HTTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      HTTP_PORT: String(await freePort()),
      SMTP_RECIPIENT_DOMAINS: 'reports.bench',
      SMTP_MAX_CLIENTS_PER_IP: '500',
      DNS_SERVERS: '127.0.0.1:9',
      DATA_DIR: './data/bench-app',
      ...extraEnv,
    },
    'HTTP listening',
  );
  return Object.assign(proc, { smtpPort });
}

export async function runSmtpSmall(adminUrl: string, opts: { connections: number; total: number }): Promise<SmtpCaseResult> {
  const messages = Array.from({ length: opts.total }, (_, i) => toSmtpData(reportMail(googleReport(i), RUA)));
  const message = (i: number) => messages[i];

  const basePort = await freePort();
  const baseline = await startNode(['dist/bench/servers/baseline-smtp.js', String(basePort)], {}, 'ready');
  const warm = await smtpLoad({ port: basePort, to: RUA, connections: opts.connections, total: 200, message });
  void warm;
  const baseCpu = await cpuWindow([baseline.child.pid!], 'sts_bench_smtp');
  const b = await smtpLoad({ port: basePort, to: RUA, connections: opts.connections, total: opts.total, message });
  const baselineShare = await baseCpu.end();
  await baseline.stop();

  const url = await freshDatabase(adminUrl, 'sts_bench_smtp');
  const product = await startProduct(url);
  const warmMessages = Array.from({ length: 200 }, (_, i) => toSmtpData(reportMail(googleReport(1_000_000 + i), RUA)));
  await smtpLoad({ port: product.smtpPort, to: RUA, connections: opts.connections, total: 200, message: (i) => warmMessages[i] });
  const productCpu = await cpuWindow([product.child.pid!], 'sts_bench_smtp');
  const p = await smtpLoad({ port: product.smtpPort, to: RUA, connections: opts.connections, total: opts.total, message });
  const productShare = await productCpu.end();
  await product.stop();

  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const committed = Number((await c.query(`SELECT count(*) AS n FROM report WHERE report_id NOT LIKE '%\\_100____'`)).rows[0].n);
  await c.end();

  const bPerSec = (opts.total - b.failures) / (b.wallMs / 1000);
  const pPerSec = (opts.total - p.failures) / (p.wallMs / 1000);
  return {
    baseline: { perSec: bPerSec, p50: percentile(b.latencies, 50), p99: percentile(b.latencies, 99) },
    product: { perSec: pPerSec, p50: percentile(p.latencies, 50), p99: percentile(p.latencies, 99), committed },
    ratio: pPerSec / bPerSec,
    cpu: { baseline: baselineShare, product: productShare },
  };
}
