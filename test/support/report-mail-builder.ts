import { gzipSync } from 'fflate';
import { RUA } from './test-app.js';

export interface ReportMailOptions {
  /** The report JSON text (or any payload bytes for negative cases). */
  payload: string | Uint8Array;
  gzip?: boolean;
  contentType?: string;
  /** How the attachment is transfer-encoded. */
  encoding?: 'base64' | '7bit';
  submitter?: string;
  policyDomain?: string;
  reportId?: string;
  to?: string;
  filename?: string | null;
  extraHeaders?: Record<string, string>;
}

/** Builds an RFC 8460 §5.3 report mail (multipart/report; report-type=tlsrpt) the way Google sends one. */
export function buildReportMail(o: ReportMailOptions): string {
  const submitter = o.submitter ?? 'reporter.test';
  const policyDomain = o.policyDomain ?? 'example.com';
  const bytes = typeof o.payload === 'string' ? new TextEncoder().encode(o.payload) : o.payload;
  const body = o.gzip ? gzipSync(bytes) : bytes;
  const contentType = o.contentType ?? (o.gzip ? 'application/tlsrpt+gzip' : 'application/tlsrpt+json');
  const encoding = o.encoding ?? 'base64';
  const filename = o.filename === undefined ? `${submitter}!${policyDomain}!1700000000!1700086399.json${o.gzip ? '.gz' : ''}` : o.filename;
  const boundary = 'b-' + Math.random().toString(36).slice(2);
  const encoded =
    encoding === 'base64'
      ? Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n')
      : Buffer.from(body).toString('utf8');
  const headers = {
    From: `TLS reports <noreply-tlsrpt@${submitter}>`,
    To: o.to ?? RUA,
    Subject: `Report Domain: ${policyDomain} Submitter: ${submitter} Report-ID: <${o.reportId ?? 'r1'}@${submitter}>`,
    Date: 'Tue, 02 Jan 2024 10:00:00 +0000',
    'Message-ID': `<${Math.random().toString(36).slice(2)}@${submitter}>`,
    'MIME-Version': '1.0',
    'TLS-Report-Domain': policyDomain,
    'TLS-Report-Submitter': submitter,
    'Content-Type': `multipart/report; report-type=tlsrpt; boundary="${boundary}"`,
    ...o.extraHeaders,
  };
  return [
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `This is an aggregate TLS report from ${submitter}.`,
    '',
    `--${boundary}`,
    `Content-Type: ${contentType}${filename ? `; name="${filename}"` : ''}`,
    `Content-Transfer-Encoding: ${encoding}`,
    ...(filename ? [`Content-Disposition: attachment; filename="${filename}"`] : []),
    '',
    encoded,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** A plain RFC 8460 report with the given counts, for tests that need many distinct reports. */
export function makeReport(o: {
  org?: string | null;
  reportId: string;
  domain?: string;
  day?: string;
  ok?: number;
  failed?: number;
  failures?: Array<Record<string, unknown>>;
}): string {
  const day = o.day ?? '2024-01-01';
  const report: Record<string, unknown> = {
    'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
    'contact-info': 'tlsrpt@reporter.test',
    'report-id': o.reportId,
    policies: [
      {
        policy: {
          'policy-type': 'sts',
          'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.example.com', 'max_age: 86400'],
          'policy-domain': o.domain ?? 'example.com',
          'mx-host': ['mx1.example.com'],
        },
        summary: { 'total-successful-session-count': o.ok ?? 100, 'total-failure-session-count': o.failed ?? 0 },
        ...(o.failures ? { 'failure-details': o.failures } : {}),
      },
    ],
  };
  if (o.org !== null) report['organization-name'] = o.org ?? 'Reporter Inc.';
  return JSON.stringify(report);
}
