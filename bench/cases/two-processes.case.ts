import { smtpLoad, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { cpuWindow, type CpuShare } from '../support/cpu.js';
import { googleReport, reportMail } from '../support/reports.js';
import { RUA, startProduct, WARM_MESSAGES, warmUp } from './smtp-small.case.js';

/**
 * The SMTP case with one server process, then two sharing one PostgreSQL (clients split between them). The CPU used
 * by each part is measured too: a second process can only add throughput if the one-process run left cores idle, so
 * `ceiling` (cores on the machine ÷ cores the one-process run kept busy) bounds the ratio any product could reach here.
 */
export async function runTwoProcesses(adminUrl: string, opts: { connections: number; total: number }) {
  const messages = Array.from({ length: opts.total }, (_, i) => toSmtpData(reportMail(googleReport(2_000_000 + i), RUA)));
  // Each process warms up as case 1's do: after 200 messages the one-process run still used 0.45–0.47 ms of server CPU
  // a message, after 1,000 0.37–0.39. The two processes share one database, so their warm-up reports differ.
  const WARM_FROM = 3_000_000;

  const oneUrl = await freshDatabase(adminUrl, 'sts_bench_one');
  const one = await startProduct(oneUrl);
  await warmUp(one.smtpPort, opts.connections, WARM_FROM);
  const oneCpu = await cpuWindow([one.child.pid!], 'sts_bench_one');
  const single = await smtpLoad({ port: one.smtpPort, to: RUA, connections: opts.connections, total: opts.total, message: (i) => messages[i] });
  const oneShare = await oneCpu.end();
  await one.stop();

  const twoUrl = await freshDatabase(adminUrl, 'sts_bench_two');
  const a = await startProduct(twoUrl);
  const b = await startProduct(twoUrl);
  const half = Math.floor(opts.total / 2);
  await Promise.all([warmUp(a.smtpPort, opts.connections / 2, WARM_FROM), warmUp(b.smtpPort, opts.connections / 2, WARM_FROM + WARM_MESSAGES)]);
  const twoCpu = await cpuWindow([a.child.pid!, b.child.pid!], 'sts_bench_two');
  const started = performance.now();
  const [ra, rb] = await Promise.all([
    smtpLoad({ port: a.smtpPort, to: RUA, connections: opts.connections / 2, total: half, message: (i) => messages[i] }),
    smtpLoad({ port: b.smtpPort, to: RUA, connections: opts.connections / 2, total: opts.total - half, message: (i) => messages[half + i] }),
  ]);
  const wallMs = performance.now() - started;
  const twoShare = await twoCpu.end();
  await Promise.all([a.stop(), b.stop()]);
  const onePerSec = (opts.total - single.failures) / (single.wallMs / 1000);
  const twoPerSec = (opts.total - ra.failures - rb.failures) / (wallMs / 1000);
  return {
    onePerSec,
    twoPerSec,
    ratio: twoPerSec / onePerSec,
    cpu: { one: oneShare, two: twoShare },
    ceiling: oneShare.cores / oneShare.machine,
    cpuMsPerMessage: { one: perMessage(oneShare, onePerSec), two: perMessage(twoShare, twoPerSec) },
  };
}

/** CPU milliseconds each part spent per committed message. */
function perMessage(share: CpuShare, perSec: number) {
  const ms = (cores: number) => (cores / perSec) * 1000;
  return { servers: ms(share.servers), postgres: ms(share.postgres), client: ms(share.client), machine: ms(share.machine) };
}
