import { domainToASCII } from 'node:url';

export type DomainNameResult = { ok: true; domain: string } | { ok: false; code: 'DOMAIN_INVALID'; reason: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A watched domain's canonical form: IDN to punycode (UTS #46 via node:url), lower case, without the
 * trailing dot. Refuses IP literals, single labels and anything that cannot be a mail domain.
 */
export function normalizeDomain(input: string): DomainNameResult {
  const trimmed = input.trim();
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  if (withoutDot === '') return { ok: false, code: 'DOMAIN_INVALID', reason: 'The domain name is empty.' };
  if (withoutDot.includes(':') || /^[\d.]+$/.test(withoutDot)) {
    return { ok: false, code: 'DOMAIN_INVALID', reason: `${JSON.stringify(input)} is an IP address, not a domain name.` };
  }
  const ascii = domainToASCII(withoutDot).toLowerCase();
  if (ascii === '') return { ok: false, code: 'DOMAIN_INVALID', reason: `${JSON.stringify(input)} is not a valid domain name.` };
  if (ascii.length > 253) return { ok: false, code: 'DOMAIN_INVALID', reason: `${ascii} is longer than 253 characters.` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, code: 'DOMAIN_INVALID', reason: `${ascii} has a single label; give the full domain, e.g. example.com.` };
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return { ok: false, code: 'DOMAIN_INVALID', reason: `${ascii} has an invalid label ${JSON.stringify(bad)}.` };
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return { ok: false, code: 'DOMAIN_INVALID', reason: `${ascii} ends in a numeric label, which no top-level domain is.` };
  }
  return { ok: true, domain: ascii };
}
