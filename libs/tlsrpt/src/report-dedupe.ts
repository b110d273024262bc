import { normalizeDomainText } from './domain-text.js';
import type { TlsReport } from './report.types.js';

export interface ReportDedupeKey {
  organization: string;
  reportId: string;
  start: Date;
  end: Date;
}

/**
 * Domain of the reporting organisation from `contact-info`, which should be an e-mail address
 * (RPT-DLV-2) but is seen as `mailto:` URIs, `Name <addr>` and web URLs. Null when none can be read.
 */
export function submitterDomainFromContact(contact: string | null | undefined): string | null {
  if (typeof contact !== 'string') return null;
  let text = contact.trim();
  const angle = /<([^<>]*)>/.exec(text);
  if (angle?.[1] !== undefined) text = angle[1].trim();
  text = text.replace(/^mailto:/i, '');
  let host: string | undefined;
  const at = text.lastIndexOf('@');
  if (at >= 0) host = text.slice(at + 1).split(/[?\s]/)[0];
  else host = /^https?:\/\/([^/:?#\s]+)/i.exec(text)?.[1] ?? text;
  if (!host) return null;
  const normalized = normalizeDomainText(host);
  // A bare word ("admin") is not a domain we can dedupe on.
  return normalized.ok && normalized.domain.includes('.') ? normalized.domain : null;
}

/**
 * Unique key of a report (RPT-DEV-20). The organisation falls back, in order, to the submitter domain
 * the caller knows (TLS-Report-Submitter header or DKIM domain), then the contact-info domain, then ''
 * (RPT-DEV-11).
 */
export function reportDedupeKey(report: TlsReport, fallbackDomain?: string | null): ReportDedupeKey {
  const fromName = report.organizationName?.trim() ? report.organizationName : null;
  const fromFallback = fallbackDomain?.trim() ? fallbackDomain.trim().toLowerCase() : null;
  return {
    organization: fromName ?? fromFallback ?? submitterDomainFromContact(report.contactInfo) ?? '',
    reportId: report.reportId,
    start: report.dateRange.start,
    end: report.dateRange.end,
  };
}
