import type { ParsedMail } from 'mailparser';
import { subjectReportId, type ReportHeaders } from './report-headers.js';
import type { HeaderField } from './simple-mime.js';

/** The report-related headers of a parsed mail (RPT-DLV-2/3), all informative: the JSON wins (RPT-DLV-5). */
export function headersOf(parsed: ParsedMail): ReportHeaders {
  const fromAddress = parsed.from?.value?.[0]?.address?.toLowerCase() ?? null;
  const subject = parsed.subject?.replace(/\s+/g, ' ').trim() || null;
  return {
    tlsReportDomain: headerText(parsed, 'tls-report-domain'),
    tlsReportSubmitter: headerText(parsed, 'tls-report-submitter'),
    fromAddress,
    fromDomain: fromAddress?.includes('@') ? fromAddress.split('@').pop()! : null,
    subject,
    subjectReportId: subjectReportId(subject),
    messageId: parsed.messageId ?? null,
    date: dateOf(parsed),
  };
}

/**
 * The same headers read from simple-mime's fields, or `null` when one of them needs mailparser's decoding (encoded
 * words, an address that is more than `Name <local@domain>`, punycode, several From headers).
 */
export function simpleHeadersOf(fields: HeaderField[]): ReportHeaders | null {
  // mailparser keeps the first non-empty value of a single-valued header.
  const first = (key: string) => fields.find((f) => f.key === key && f.value !== '')?.value ?? null;
  const [subjectText, messageIdText, fromText] = [first('subject'), first('message-id'), first('from')];
  if ([subjectText, messageIdText].some((v) => v?.includes('=?'))) return null;
  const fromAddress = fromText === null ? null : simpleAddress(fromText);
  if (fromAddress === undefined) return null;
  const subject = subjectText?.replace(/\s+/g, ' ').trim() || null;
  const all = (key: string) => [...new Set(fields.filter((f) => f.key === key && f.value !== '').map((f) => f.value))].join(', ') || null;
  return {
    tlsReportDomain: all('tls-report-domain'),
    tlsReportSubmitter: all('tls-report-submitter'),
    fromAddress,
    fromDomain: fromAddress?.includes('@') ? fromAddress.split('@').pop()! : null,
    subject,
    subjectReportId: subjectReportId(subject),
    messageId: messageIdText === null ? null : `${messageIdText.startsWith('<') ? '' : '<'}${messageIdText}${messageIdText.endsWith('>') ? '' : '>'}`,
    date: dateOfLine(fields.find((f) => f.key === 'date')?.line),
  };
}

/** `local@domain` or `Plain Name <local@domain>`, lower-cased; `undefined` for any other form. */
function simpleAddress(text: string): string | undefined {
  const m = /^(?:[A-Za-z0-9 _-]*<([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+)>|([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+))$/.exec(text);
  const address = m?.[1] ?? m?.[2];
  return address && !/@xn--|\.xn--/i.test(address) ? address.toLowerCase() : undefined;
}

export function emptyHeaders(): ReportHeaders {
  return {
    tlsReportDomain: null,
    tlsReportSubmitter: null,
    fromAddress: null,
    fromDomain: null,
    subject: null,
    subjectReportId: null,
    messageId: null,
    date: null,
  };
}

/**
 * A repeated header keeps all its distinct values joined by ", ", so a doubled TLS-Report-Submitter can never equal
 * a single DKIM domain (it stays unaligned instead of picking one copy at random).
 */
function headerText(parsed: ParsedMail, name: string): string | null {
  const raw = parsed.headers.get(name);
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => valueText(v)).filter((v): v is string => v !== null);
  const distinct = [...new Set(values)];
  return distinct.length ? distinct.join(', ') : null;
}

function valueText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const text = typeof v === 'object' && 'text' in v ? String((v as { text: unknown }).text) : String(v);
  return text.trim() || null;
}

/** mailparser turns an unreadable Date header into "now"; read the header itself so a bad date stays null. */
function dateOf(parsed: ParsedMail): string | null {
  return dateOfLine(parsed.headerLines.find((h) => h.key === 'date')?.line);
}

function dateOfLine(line: string | undefined): string | null {
  if (!line) return null;
  const date = new Date(line.slice(line.indexOf(':') + 1).replace(/\s+/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
