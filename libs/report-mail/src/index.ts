export { DEFAULT_MAIL_CAPS, type MailCaps } from './mail-caps.js';
export { sniffReportBytes, type PayloadKind } from './sniff.js';
export { decodeReportPayload, type DecodeErrorCode, type DecodeResult } from './decode-payload.js';
export { extractReportsFromMail, type MailExtraction, type ReportCandidate } from './extract-mail.js';
export { reportingDomainOf, sameOrganizationalDomain, subjectReportId, type ReportHeaders } from './report-headers.js';
export { verifyReportDkim, type DkimResolver, type DkimResultKind, type DkimVerdict } from './dkim.js';
export { compressReportText, decodeStoredReport, storedReportText } from './report-body.js';
export { ReportJson } from './report-json.js';
