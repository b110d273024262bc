import { spawnSync } from 'node:child_process';
import http from 'node:http';
import pg from 'pg';
import { freshDatabase } from '../support/bench-database.js';
import { percentile } from '../support/bench-smtp-client.js';
import { startProduct } from './smtp-small.case.js';

const DOMAIN = 'seed-1.example';
const FROM = '2025-01-01';
const TO = '2025-12-31';
// Calls timed per endpoint: with 60, the p95 was the third-slowest call and one ~50 ms stall of the machine decided it.
const TIMED_CALLS = 300;

function cli(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, ['bin/sts-pilot.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`sts-pilot ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

async function p95(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return percentile(ms, 95);
}

/** The same questions answered by scanning failure_detail, as a dashboard without rollups would. */
export const SCAN_QUERIES = {
  yearlySeries: `SELECT day, result_type, sum(failed_session_count) FROM failure_detail
                  WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 1`,
  breakdown: `SELECT receiving_mx_hostname, sum(failed_session_count) AS sessions FROM failure_detail
               WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1 ORDER BY 2 DESC`,
  sendingIp: `SELECT sending_mta_ip, sum(failed_session_count) AS sessions FROM failure_detail
               WHERE policy_domain = $1 AND day BETWEEN $2 AND $3 GROUP BY 1 ORDER BY 2 DESC`,
};

/**
 * Seeds `rows` failure rows over a year with the product's own generator (`sts-pilot dev seed`), compacts the ended
 * months as the server does hourly (`sts-pilot rollups compact`; the year seeded has ended), then times the
 * dashboard API (yearly daily series, breakdown by receiving MX) against scanning failure_detail.
 */
export async function runDashboard(adminUrl: string, opts: { rows: number }) {
  const url = await freshDatabase(adminUrl, 'sts_bench_dashboard');
  const env = { DATABASE_URL: url, DATA_DIR: './data/bench-app' };
  const t0 = performance.now();
  cli(['dev', 'seed', '--domains', '5', '--days', '365', '--end-day', TO, '--failures', String(opts.rows), '--json'], env);
  const seedSeconds = (performance.now() - t0) / 1000;
  // What the server's hourly month-compaction job does to ended months; the bench does not wait an hour for it.
  cli(['rollups', 'compact', '--json'], env);
  const token = JSON.parse(cli(['token', 'create', '--scope', 'read', '--name', 'bench', '--json'], env)).token as string;

  const product = await startProduct(url);
  const httpPort = Number(/HTTP listening on http:\/\/[\d.]+:(\d+)/.exec(product.output())?.[1]);
  // node:http on one kept-alive connection: fetch (undici) added 1–4 ms of the bench's own work to each call here,
  // which is client time, not the dashboard's.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: httpPort, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} ${body}`));
          else resolve(JSON.parse(body));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The seed's bulk insert leaves work that would run during the timings: autovacuum of the 10-million-row table
    // (one of the cores), hint bits set by the first scans, and the checkpoint writing its ~2 GB back to disk.
    await c.query('VACUUM (ANALYZE)');
    await c.query('CHECKPOINT');
    const rows = Number((await c.query('SELECT count(*) AS n FROM failure_detail')).rows[0].n);
    const series = `/api/dashboards/domains/${DOMAIN}/series?from=${FROM}&to=${TO}`;
    const breakdown = `/api/dashboards/domains/${DOMAIN}/breakdowns/receiving-mx?from=${FROM}&to=${TO}`;
    const sendingIp = `/api/dashboards/domains/${DOMAIN}/breakdowns/sending-ip?from=${FROM}&to=${TO}`;
    for (const path of [series, breakdown, sendingIp]) await p95(5, () => get(path));
    const seriesP95 = await p95(TIMED_CALLS, () => get(series));
    const breakdownP95 = await p95(TIMED_CALLS, () => get(breakdown));
    const sendingIpP95 = await p95(TIMED_CALLS, () => get(sendingIp));
    const params = [DOMAIN, FROM, TO];
    const seriesScanP95 = await p95(3, () => c.query(SCAN_QUERIES.yearlySeries, params));
    const breakdownScanP95 = await p95(3, () => c.query(SCAN_QUERIES.breakdown, params));
    const sendingIpScanP95 = await p95(3, () => c.query(SCAN_QUERIES.sendingIp, params));
    return {
      rows,
      seedSeconds,
      yearlySeries: { rollupP95: seriesP95, scanP95: seriesScanP95, ratio: seriesP95 / seriesScanP95 },
      breakdown: { rollupP95: breakdownP95, scanP95: breakdownScanP95, ratio: breakdownP95 / breakdownScanP95 },
      sendingIp: { rollupP95: sendingIpP95, scanP95: sendingIpScanP95, ratio: sendingIpP95 / sendingIpScanP95 },
    };
  } finally {
    agent.destroy();
    await c.end();
    await product.stop();
  }
}
