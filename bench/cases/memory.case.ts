import { Gzip } from 'fflate';
import { BenchSmtpConnection, toSmtpData } from '../support/bench-smtp-client.js';
import { freshDatabase } from '../support/bench-database.js';
import { rssOf } from '../support/processes.js';
import { attachmentMail, googleReport, reportMail } from '../support/reports.js';
import { startProduct } from './smtp-small.case.js';

const MiB = 1024 * 1024;

/** A report of about `targetBytes` decompressed: many failure rows with long reason texts. */
function bigReport(targetBytes: number): string {
  const base = JSON.parse(googleReport(1, 0));
  const details = [];
  let size = 0;
  for (let k = 0; size < targetBytes; k++) {
    const d = {
      'result-type': 'validation-failure',
      'sending-mta-ip': `198.51.${(k >> 8) & 255}.${k & 255}`,
      'receiving-ip': `203.0.113.${k % 250}`,
      'receiving-mx-hostname': `mx${k % 4}.bench1.example`,
      'failed-session-count': 1,
      'failure-reason-code': `certificate chain could not be verified for row ${k} `.padEnd(180, '.'),
    };
    size += JSON.stringify(d).length + 1;
    details.push(d);
  }
  base.policies[0]['failure-details'] = details;
  base.policies[0].summary['total-failure-session-count'] = details.length;
  return JSON.stringify(base);
}

function gzipBomb(mib: number): Uint8Array {
  const out: Uint8Array[] = [];
  const gz = new Gzip({ level: 6 }, (chunk) => out.push(chunk));
  const zeros = new Uint8Array(MiB);
  for (let i = 0; i < mib; i++) gz.push(zeros, i === mib - 1);
  return Buffer.concat(out);
}

async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number; before: number; ms: number }> {
  const before = await rssOf(pid);
  let peak = before;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await rssOf(pid));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  done = true;
  await sampler;
  return { result, peak, before, ms };
}

export async function runMemory(adminUrl: string) {
  const url = await freshDatabase(adminUrl, 'sts_bench_memory');
  const product = await startProduct(url);
  const pid = product.child.pid!;
  const conn = await BenchSmtpConnection.open(product.smtpPort);
  await conn.send('tlsrpt@reports.bench', toSmtpData(reportMail(googleReport(5), 'tlsrpt@reports.bench')));

  const report = bigReport(20 * MiB - 64 * 1024);
  const mail = toSmtpData(reportMail(report, 'tlsrpt@reports.bench'));
  const big = await peakRssDuring(pid, () => conn.send('tlsrpt@reports.bench', mail));

  const bomb = toSmtpData(attachmentMail(gzipBomb(1024), 'tlsrpt@reports.bench'));
  const bombRun = await peakRssDuring(pid, () => conn.send('tlsrpt@reports.bench', bomb));
  conn.close();
  await product.stop();
  return {
    bigReport: { decompressedBytes: report.length, reply: big.result, rssGrowth: big.peak - big.before, ratio: (big.peak - big.before) / report.length },
    gzipBomb: { reply: bombRun.result, ms: bombRun.ms, rssGrowth: bombRun.peak - bombRun.before },
  };
}
