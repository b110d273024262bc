import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { runDashboard } from './cases/dashboard.case.js';
import { runLargeReports } from './cases/large-reports.case.js';
import { runMemory } from './cases/memory.case.js';
import { runSmtpSmall } from './cases/smtp-small.case.js';
import { runTwoProcesses } from './cases/two-processes.case.js';
import { benchServer } from './support/bench-database.js';

// `npm run bench`: every result is a ratio against a baseline measured back to back in this same run,
// because these machines drift by a quarter from run to run. Never part of `npm test`.
const full = process.env.BENCH_SIZE !== 'small';
// BENCH_CASES=1,4 runs only those cases (for profiling one lever at a time); the README table comes from a full run.
const only = process.env.BENCH_CASES?.split(',').map((c) => c.trim());
const want = (n: number) => !only || only.includes(String(n));
const MiB = 1024 * 1024;
// Parallel SMTP connections for cases 1 and 5 (the issue allows 10–50; BENCH_CONNECTIONS=20 for a lighter load).
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
// Baseline/product rounds for cases 1 and 2 (the median round is reported): single rounds ranged 0.56-1.14 in case 1.
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
// BENCH_DB_DELAY_MS=1 puts a proxy delaying each direction by 1 ms between case 1's product and PostgreSQL (a database
// on another host). The README's table is measured without it.
const dbDelayMs = Number(process.env.BENCH_DB_DELAY_MS ?? 0);
const db = await benchServer();
const rows: Array<{ case: string; measured: string; baseline: string; ratio: string; target: string; ok: boolean | null }> = [];
const results: Record<string, unknown> = {};
const notes: string[] = [];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
/** CPU milliseconds per item from cores used and items per second. */
const perItem = (cores: number, perSec: number) => fmt((cores / perSec) * 1000, 2);
const pct = (c: { machine: number; cores: number }) => `${fmt((100 * c.machine) / c.cores)} %`;

try {
  if (want(1)) {
    process.stderr.write('1/5 small reports over SMTP...\n');
    const smtp = await runSmtpSmall(db.url, { connections, total: full ? 4000 : 1000, rounds, dbDelayMs });
    results.smtpSmall = smtp;
    rows.push({
      case: `1. small reports over SMTP (${connections} connections${dbDelayMs ? `, database ${dbDelayMs} ms away each way` : ''})`,
      measured: `${fmt(smtp.product.perSec)} msg/s committed, p50 ${fmt(smtp.product.p50, 1)} ms, p99 ${fmt(smtp.product.p99, 1)} ms`,
      baseline: `${fmt(smtp.baseline.perSec)} msg/s (smtp-server + mailparser, discard)`,
      ratio: fmt(smtp.ratio, 2),
      target: '>= 0.80',
      ok: smtp.ratio >= 0.8,
    });
    const bc = smtp.cpu.baseline, pc = smtp.cpu.product;
    notes.push(
      `Case 1 CPU per message: baseline server ${perItem(bc.servers, smtp.baseline.perSec)} ms; product server ` +
        `${perItem(pc.servers, smtp.product.perSec)} ms + PostgreSQL ${perItem(pc.postgres, smtp.product.perSec)} ms ` +
        `(bench client ${perItem(pc.client, smtp.product.perSec)} ms). Machine busy: baseline ${pct(bc)}, product ${pct(pc)}; ` +
        `the servers' main threads (their event loops): baseline ${fmt(100 * bc.serverMainThreads)} % busy, ` +
        `${perItem(bc.serverMainThreads, smtp.baseline.perSec)} ms a message; product ${fmt(100 * pc.serverMainThreads)} % busy, ` +
        `${perItem(pc.serverMainThreads, smtp.product.perSec)} ms a message. ` +
        `Ratio of each round: ${smtp.roundRatios.map((r) => fmt(r, 2)).join(', ')} (the median round is reported).`,
    );

  }
  if (want(2)) {
    process.stderr.write('2/5 large reports (5,000 failure rows each)...\n');
    const large = await runLargeReports(db.url, { reports: full ? 80 : 10, connections: 4, rounds });
    results.largeReports = large;
    rows.push({
      case: '2. large reports, 5,000 failure rows each',
      measured: `${fmt(large.productRowsPerSec)} rows/s stored via SMTP`,
      baseline: `${fmt(large.copyRowsPerSec)} rows/s raw COPY (same columns and indexes)`,
      ratio: fmt(large.ratio, 2),
      target: '>= 0.50',
      ok: large.ratio >= 0.5,
    });
    const lc = large.cpu.product, reportsPerSec = large.productRowsPerSec / 5000;
    notes.push(
      `Case 2 CPU per 5,000-row report: product server ${perItem(lc.servers, reportsPerSec)} ms + PostgreSQL ` +
        `${perItem(lc.postgres, reportsPerSec)} ms (machine ${pct(lc)} busy, the server's main thread ${fmt(100 * lc.serverMainThreads)} %); raw COPY: PostgreSQL ` +
        `${perItem(large.cpu.baseline.postgres, large.copyRowsPerSec / 5000)} ms per 5,000 rows. ` +
        `Ratio of each round: ${large.roundRatios.map((r) => fmt(r, 2)).join(', ')} (the median round is reported).`,
    );

  }
  if (want(3)) {
    process.stderr.write(`3/5 dashboard queries (seeding ${full ? '10 million' : '500,000'} failure rows)...\n`);
    const dash = await runDashboard(db.url, { rows: full ? 10_000_000 : 500_000 });
    results.dashboard = dash;
    rows.push({
      case: `3a. yearly daily series, biggest domain (${fmt(dash.rows)} rows)`,
      measured: `p95 ${fmt(dash.yearlySeries.rollupP95, 1)} ms (GET /api/dashboards/…/series)`,
      baseline: `p95 ${fmt(dash.yearlySeries.scanP95, 0)} ms scanning failure_detail`,
      ratio: fmt(dash.yearlySeries.ratio, 4),
      target: '<= 20 ms and <= 0.01',
      ok: dash.yearlySeries.rollupP95 <= 20 && dash.yearlySeries.ratio <= 0.01,
    });
    rows.push({
      case: '3b. breakdown by receiving MX, one year',
      measured: `p95 ${fmt(dash.breakdown.rollupP95, 1)} ms (GET …/breakdowns/receiving-mx)`,
      baseline: `p95 ${fmt(dash.breakdown.scanP95, 0)} ms scanning failure_detail`,
      ratio: fmt(dash.breakdown.ratio, 4),
      target: '<= 50 ms and <= 0.01',
      ok: dash.breakdown.rollupP95 <= 50 && dash.breakdown.ratio <= 0.01,
    });
    rows.push({
      case: '3c. breakdown by sending IP (the widest dimension), one year',
      measured: `p95 ${fmt(dash.sendingIp.rollupP95, 1)} ms (GET …/breakdowns/sending-ip)`,
      baseline: `p95 ${fmt(dash.sendingIp.scanP95, 0)} ms scanning failure_detail`,
      ratio: fmt(dash.sendingIp.ratio, 4),
      target: '<= 50 ms and <= 0.01',
      ok: dash.sendingIp.rollupP95 <= 50 && dash.sendingIp.ratio <= 0.01,
    });

  }
  if (want(4)) {
    process.stderr.write('4/5 memory: 20 MiB report and a 1 GiB gzip bomb...\n');
    const mem = await runMemory(db.url);
    results.memory = mem;
    rows.push({
      case: `4a. RSS growth ingesting a ${fmt(mem.bigReport.decompressedBytes / MiB, 1)} MiB report`,
      measured: `${fmt(mem.bigReport.rssGrowth / MiB, 1)} MiB (reply ${mem.bigReport.reply})`,
      baseline: 'report size',
      ratio: fmt(mem.bigReport.ratio, 2),
      target: '<= 5',
      ok: mem.bigReport.ratio <= 5 && mem.bigReport.reply === 250,
    });
    rows.push({
      case: '4b. gzip bomb (1 GiB decompressed)',
      measured: `stopped and quarantined in ${fmt(mem.gzipBomb.ms)} ms, RSS +${fmt(mem.gzipBomb.rssGrowth / MiB, 1)} MiB (reply ${mem.gzipBomb.reply})`,
      baseline: '-',
      ratio: '-',
      target: '<= 1 s, <= 64 MiB',
      ok: mem.gzipBomb.ms <= 1000 && mem.gzipBomb.rssGrowth <= 64 * MiB && mem.gzipBomb.reply === 250,
    });

  }
  if (want(5)) {
    process.stderr.write('5/5 two server processes sharing PostgreSQL...\n');
    const two = await runTwoProcesses(db.url, { connections, total: full ? 4000 : 1000 });
    results.twoProcesses = two;
    rows.push({
      case: '5. two server processes, one PostgreSQL',
      measured: `${fmt(two.twoPerSec)} msg/s`,
      baseline: `${fmt(two.onePerSec)} msg/s with one process`,
      ratio: fmt(two.ratio, 2),
      target: '>= 1.6, or the reason it cannot be',
      ok: two.ratio >= 1.6 ? true : two.ceiling < 1.6 ? null : false,
    });
    const c = two.cpu.one;
    notes.push(
      `Case 5: during the one-process run the machine's ${fmt(c.cores, 1)} cores were ${fmt((100 * c.machine) / c.cores)} % busy ` +
        `(server ${fmt(c.servers, 2)}, PostgreSQL ${fmt(c.postgres, 2)}, bench client ${fmt(c.client, 2)} cores; ` +
        `CPU per message: server ${fmt(two.cpuMsPerMessage.one.servers, 2)} ms, PostgreSQL ${fmt(two.cpuMsPerMessage.one.postgres, 2)} ms, ` +
        `client ${fmt(two.cpuMsPerMessage.one.client, 2)} ms). A second process can only use idle cores, so no product could exceed ` +
        `${fmt(two.ceiling, 2)} × here` +
        (two.ceiling < 1.6 ? `: the 1.6 × target cannot be reached on this machine; the two processes reached ${fmt(two.ratio, 2)} ×.` : '.') +
        ` With two processes: ${fmt((100 * two.cpu.two.machine) / two.cpu.two.cores)} % busy (servers ${fmt(two.cpu.two.servers, 2)}, PostgreSQL ${fmt(two.cpu.two.postgres, 2)} cores).`,
    );
  }
} finally {
  await db.stop();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
const date = new Date().toISOString();
console.log(`\nSTS Pilot bench — ${date} — ${machine}${full ? '' : ' (BENCH_SIZE=small)'}\n`);
console.log('| case | measured | baseline (same run) | ratio | target | met |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.case} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.ok ? 'yes' : r.ok === null ? 'cannot be here (note)' : 'no'} |`);
for (const n of notes) console.log(`\n${n}`);
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/latest.json', JSON.stringify({ date, machine, size: full ? 'full' : 'small', rows, notes, results }, null, 2) + '\n');
process.exit(0);
