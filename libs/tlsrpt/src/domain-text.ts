import { domainToASCII } from 'node:url';

export type DomainText =
  | { ok: true; domain: string; wasUnicode: boolean }
  | { ok: false; domain: string };

const A_LABEL_DOMAIN = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * Lower-cases a domain, drops one trailing dot and converts U-labels to A-labels (RPT-JSON-2 wants
 * A-labels). `ok: false` keeps the lower-cased text when it is not a usable domain name.
 */
export function normalizeDomainText(raw: string): DomainText {
  const lowered = raw.trim().toLowerCase().replace(/\.$/, '');
  const wasUnicode = /[^\x00-\x7f]/.test(lowered);
  const ascii = wasUnicode ? domainToASCII(lowered) : lowered;
  if (ascii === '' || !A_LABEL_DOMAIN.test(ascii)) return { ok: false, domain: lowered };
  return { ok: true, domain: ascii, wasUnicode };
}
