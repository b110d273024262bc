import { smtpLoad, percentile, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { cpuWindow, type CpuShare } from '../support/cpu.js';
import { freePort, startNode, type Proc } from '../support/processes.js';
import { googleReport, reportMail } from '../support/reports.js';
import { bothInTurn, medianRound } from '../support/rounds.js';

export interface SmtpRun {
  perSec: number;
  p50: number;
  p99: number;
}

export interface SmtpCaseResult {
  /** The round whose ratio is the median: its figures are the ones reported. */
  baseline: SmtpRun;
  product: SmtpRun & { committed: number };
  ratio: number;
  /** Every round's ratio, in the order run. */
  roundRatios: number[];
  /** Cores each part used during the median round (where the product's time goes). */
  cpu: { baseline: CpuShare; product: CpuShare };
}

export const RUA = 'tlsrpt@reports.bench';
/** Messages each server gets before anything is timed: with 200 the first timed round ran ~25 % slower on both sides. */
export const WARM_MESSAGES = 1000;

/** Sends a server `WARM_MESSAGES` small reports numbered from `firstReport` (servers sharing a database need their own). */
export function warmUp(port: number, connections: number, firstReport: number) {
  const mails = Array.from({ length: WARM_MESSAGES }, (_, i) => toSmtpData(reportMail(googleReport(firstReport + i), RUA)));
  return smtpLoad({ port, to: RUA, connections, total: WARM_MESSAGES, message: (i) => mails[i] });
}

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
      // Every bench connection comes from 127.0.0.1; the per-minute connection limit is not what is measured.
      SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP: '1000000',
      DNS_SERVERS: '127.0.0.1:9',
      DATA_DIR: './data/bench-app',
      // No scheduled jobs: the bench's reports and seeded rows are dated 2025, so the first run, 30 s after start,
      // deleted them as past the default retention and recomputed every month they touched (1,193 months, 7 s, in one
      // case-2 round) while rounds were timed. Real daily reports land in the running month, refreshed once it ends.
      SCHEDULER_ENABLED: 'false',
      ...extraEnv,
    },
    'HTTP listening',
  );
  return Object.assign(proc, { smtpPort });
}

/**
 * Baseline and product alternate for `rounds` rounds (both servers started and warmed first), and the round with the
 * median ratio is reported: the machine's speed drifts within seconds, and one back-to-back pair caught it half the
 * time (the same code measured 0.51 to 0.88). Which of the two goes first alternates too (see `bothInTurn`).
 */
export async function runSmtpSmall(
  adminUrl: string,
  opts: { connections: number; total: number; rounds: number; dbDelayMs?: number },
): Promise<SmtpCaseResult> {
  // The product keeps every report: each round sends its own report ids (the baseline discards, so it reuses them).
  const messages = Array.from({ length: opts.total * opts.rounds }, (_, i) => toSmtpData(reportMail(googleReport(i), RUA)));
  const load = (port: number, round: number) =>
    smtpLoad({ port, to: RUA, connections: opts.connections, total: opts.total, message: (i) => messages[round * opts.total + i] });

  const basePort = await freePort();
  const baseline = await startNode(['dist/bench/servers/baseline-smtp.js', String(basePort)], {}, 'ready');
  const url = await freshDatabase(adminUrl, 'sts_bench_smtp');
  const proxy = opts.dbDelayMs ? await startDelayProxy(url, opts.dbDelayMs) : null;
  const product = await startProduct(proxy?.url ?? url);
  const rounds: Array<{ b: SmtpRun; p: SmtpRun; bCpu: CpuShare; pCpu: CpuShare }> = [];
  try {
    for (const port of [basePort, product.smtpPort]) await warmUp(port, opts.connections, 1_000_000);
    for (let round = 0; round < opts.rounds; round++) {
      const [base, prod] = await bothInTurn(
        round,
        async () => {
          const cpu = await cpuWindow([baseline.child.pid!], 'sts_bench_smtp');
          const b = summary(await load(basePort, 0), opts.total);
          return { b, bCpu: await cpu.end() };
        },
        async () => {
          const cpu = await cpuWindow([product.child.pid!], 'sts_bench_smtp');
          const p = summary(await load(product.smtpPort, round), opts.total);
          return { p, pCpu: await cpu.end() };
        },
      );
      rounds.push({ ...base, ...prod });
    }
  } finally {
    await baseline.stop();
    await product.stop();
    await proxy?.stop();
  }

  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const committed = Number((await c.query(`SELECT count(*) AS n FROM report WHERE report_id NOT LIKE '%\\_100____'`)).rows[0].n);
  await c.end();

  const { median, ratios } = medianRound(rounds, (r) => r.p.perSec / r.b.perSec);
  return {
    baseline: median.b,
    product: { ...median.p, committed },
    ratio: median.p.perSec / median.b.perSec,
    roundRatios: ratios,
    cpu: { baseline: median.bCpu, product: median.pCpu },
  };
}

/** The product reaches PostgreSQL through `delay-proxy`, over TCP, as it would a database on another host. */
async function startDelayProxy(databaseUrl: string, delayMs: number): Promise<Proc & { url: string }> {
  const db = new URL(databaseUrl);
  const port = await freePort();
  const proc = await startNode(['dist/bench/servers/delay-proxy.js', String(port), db.port || '5432', String(delayMs)], {}, 'ready');
  db.search = ''; // a Unix socket in `?host=` would bypass the proxy
  db.hostname = '127.0.0.1';
  db.port = String(port);
  return Object.assign(proc, { url: db.toString() });
}

function summary(run: { failures: number; wallMs: number; latencies: number[] }, total: number): SmtpRun {
  return { perSec: (total - run.failures) / (run.wallMs / 1000), p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99) };
}
