import { smtpLoad, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { googleReport, reportMail } from '../support/reports.js';
import { startProduct } from './smtp-small.case.js';

const RUA = 'tlsrpt@reports.bench';

/** The SMTP case with one server process, then two sharing one PostgreSQL (clients split between them). */
export async function runTwoProcesses(adminUrl: string, opts: { connections: number; total: number }) {
  const messages = Array.from({ length: opts.total * 2 }, (_, i) => toSmtpData(reportMail(googleReport(2_000_000 + i), RUA)));

  const oneUrl = await freshDatabase(adminUrl, 'sts_bench_one');
  const one = await startProduct(oneUrl);
  await smtpLoad({ port: one.smtpPort, to: RUA, connections: opts.connections, total: 200, message: (i) => messages[opts.total + i] });
  const single = await smtpLoad({ port: one.smtpPort, to: RUA, connections: opts.connections, total: opts.total, message: (i) => messages[i] });
  await one.stop();

  const twoUrl = await freshDatabase(adminUrl, 'sts_bench_two');
  const a = await startProduct(twoUrl);
  const b = await startProduct(twoUrl);
  const half = Math.floor(opts.total / 2);
  await Promise.all([
    smtpLoad({ port: a.smtpPort, to: RUA, connections: opts.connections / 2, total: 100, message: (i) => messages[opts.total + i] }),
    smtpLoad({ port: b.smtpPort, to: RUA, connections: opts.connections / 2, total: 100, message: (i) => messages[opts.total + 100 + i] }),
  ]);
  const started = performance.now();
  const [ra, rb] = await Promise.all([
    smtpLoad({ port: a.smtpPort, to: RUA, connections: opts.connections / 2, total: half, message: (i) => messages[i] }),
    smtpLoad({ port: b.smtpPort, to: RUA, connections: opts.connections / 2, total: opts.total - half, message: (i) => messages[half + i] }),
  ]);
  const wallMs = performance.now() - started;
  await Promise.all([a.stop(), b.stop()]);
  const onePerSec = (opts.total - single.failures) / (single.wallMs / 1000);
  const twoPerSec = (opts.total - ra.failures - rb.failures) / (wallMs / 1000);
  return { onePerSec, twoPerSec, ratio: twoPerSec / onePerSec };
}
