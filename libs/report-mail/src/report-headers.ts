import { getDomain } from 'tldts';

export interface ReportHeaders {
  tlsReportDomain: string | null;
  tlsReportSubmitter: string | null;
  fromAddress: string | null;
  fromDomain: string | null;
  /** Unfolded (RPT-DEV-23). */
  subject: string | null;
  /** From `Report-ID: <...>` in the subject (RPT-DLV-3); informative only. */
  subjectReportId: string | null;
  messageId: string | null;
  date: string | null;
}

export function subjectReportId(subject: string | null): string | null {
  if (!subject) return null;
  const m = /Report-ID:\s*<?([^\s<>]+)>?/i.exec(subject);
  return m ? m[1] : null;
}

/** The reporting organization's domain for DKIM alignment: TLS-Report-Submitter, else the From domain. */
export function reportingDomainOf(h: Pick<ReportHeaders, 'tlsReportSubmitter' | 'fromDomain'>): string | null {
  const submitter = h.tlsReportSubmitter?.trim().toLowerCase().replace(/\.$/, '');
  return submitter || h.fromDomain || null;
}

/**
 * Same organizational domain (public-suffix aware), e.g. `google.com` and `smtp-tls-reporting.google.com`. Private
 * suffixes count as suffixes, so `a.github.io` and `b.github.io` are different organizations.
 */
export function sameOrganizationalDomain(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return true;
  const ox = getDomain(x, { allowPrivateDomains: true });
  return ox !== null && ox === getDomain(y, { allowPrivateDomains: true });
}
