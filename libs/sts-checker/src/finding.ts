import type { Finding, Severity } from '@app/mta-sts';

export function finding(severity: Severity, code: string, message: string, rule?: string, detail?: string): Finding {
  const f: Finding = { code, severity, message };
  if (rule !== undefined) f.rule = rule;
  if (detail !== undefined) f.detail = detail;
  return f;
}

export const DAY_MS = 86_400_000;
/** ROLL-7 (ours): certificates need at least this many days left. */
export const CERT_MIN_DAYS_LEFT = 30;

/** CERT_EXPIRING warning when a certificate that is otherwise fine has < 30 days left. */
export function expiryFinding(what: string, notAfter: string | null, now: Date, rule: string): Finding | null {
  if (notAfter === null) return null;
  const daysLeft = Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
  if (daysLeft >= CERT_MIN_DAYS_LEFT) return null;
  return finding(
    'warn',
    'CERT_EXPIRING',
    `The certificate of ${what} expires on ${notAfter.slice(0, 10)} (${daysLeft} day(s) left); renew it, at least ${CERT_MIN_DAYS_LEFT} days are advised.`,
    rule,
  );
}
