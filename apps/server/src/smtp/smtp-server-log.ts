import type { Logger } from 'pino';

type Entry = { tnx?: string; cid?: string };

/**
 * smtp-server writes some refusals itself (idle/data timeouts, the overall connection cap, `SIZE=` over the limit,
 * over-long command lines). Its logger hook sees every reply it sends, so the ones with a 4xx/5xx code are logged
 * here with the client address; everything else it would log is dropped.
 */
export function smtpServerLogAdapter(log: Logger, ipOf: (cid: string | undefined) => string | undefined) {
  const ignore = (..._args: unknown[]) => undefined;
  return {
    trace: ignore,
    info: ignore,
    warn: ignore,
    fatal: ignore,
    error: (entry: Entry & { err?: unknown }, message: string) => {
      if (entry?.tnx === 'connection' && /Reverse resolve/.test(String(message))) return;
      log.debug({ cid: entry?.cid, ip: ipOf(entry?.cid), err: entry?.err }, 'SMTP connection error');
    },
    debug: (entry: Entry, format: string, payload?: unknown) => {
      if (entry?.tnx !== 'send' || typeof payload !== 'string') return;
      const code = Number(payload.slice(0, 3));
      if (!(code >= 400)) return;
      log.info({ cid: entry.cid, ip: ipOf(entry.cid), code }, `SMTP refusal sent: ${payload}`);
    },
  };
}
