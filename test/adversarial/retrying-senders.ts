import { gzipSync } from 'fflate';
import { makeReport } from '../support/report-mail-builder.js';
import { attachment, CORPUS_RUA, reportMail } from './mime.js';
import { sendRawSmtp, type RawSmtpResult } from './raw-smtp.js';

export interface Attempt {
  reportId: string;
  startedAt: number;
  endedAt: number;
  code: number;
  text: string;
}

export interface LoadResult {
  /** Report ids answered 250, in the order the 250s came. */
  acked: string[];
  /** Ids that got a permanent 5xx (there should be none). */
  refused: Array<{ reportId: string; reply: string }>;
  attempts: Attempt[];
}

const LOAD_EPOCH = Date.now();

/** Report `i` of a load run: a distinct id, a count that depends on i, one failure detail. */
export function loadReportMail(i: number): { reportId: string; ok: number; failed: number; mail: Buffer } {
  const reportId = `load-${i}`;
  const ok = (i % 97) + 1;
  const failed = (i % 5) + 1;
  const json = makeReport({
    reportId,
    domain: `d${i % 7}.example`,
    // Recent days: the retention job drops failure details older than RETENTION_FAILURE_DAYS.
    day: new Date(LOAD_EPOCH - ((i % 20) + 1) * 86_400_000).toISOString().slice(0, 10),
    ok,
    failed,
    failures: [{ 'result-type': 'certificate-expired', 'receiving-mx-hostname': 'mx1.example.com', 'failed-session-count': failed }],
  });
  const mail = reportMail(reportId, [attachment(gzipSync(new TextEncoder().encode(json)), 'application/tlsrpt+gzip')]);
  return { reportId, ok, failed, mail };
}

/**
 * Parallel senders that behave like real MTAs: a 4xx reply, a refused or dropped connection or no reply in time
 * means "try again later" (after a short back-off here); only 250 and 5xx end a delivery.
 */
export async function runRetryingSenders(opts: {
  port: () => number;
  count: number;
  clients: number;
  timeoutMs?: number;
  onAck?: (acked: number) => void;
}): Promise<LoadResult> {
  const result: LoadResult = { acked: [], refused: [], attempts: [] };
  let next = 0;
  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      const { reportId, mail } = loadReportMail(i);
      for (let attempt = 0; ; attempt++) {
        const startedAt = Date.now();
        const res: RawSmtpResult = await sendRawSmtp({ port: opts.port(), from: `${reportId}@load.test`, to: CORPUS_RUA, body: mail, timeoutMs: opts.timeoutMs ?? 15_000 });
        result.attempts.push({ reportId, startedAt, endedAt: Date.now(), code: res.code, text: res.text });
        if (res.code === 250) {
          result.acked.push(reportId);
          opts.onAck?.(result.acked.length);
          break;
        }
        if (res.code >= 500) {
          result.refused.push({ reportId, reply: `${res.code} ${res.text}` });
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** Math.min(attempt, 4), 500)));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, worker));
  return result;
}
