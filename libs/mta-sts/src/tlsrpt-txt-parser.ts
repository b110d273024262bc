// `_smtp._tls` TXT record (spec notes §4, RFC 8460 §3).
import { finding, hasError, show } from './finding.js';
import { splitTxtFields, TXT_EXT_VALUE_RE } from './txt-fields.js';
import type { Finding, Parsed, TlsRptRecord } from './types.js';

/** Shared vocabulary: an invalid record leaves the domain without TLS-RPT, as a missing one does. */
const CODE = 'TLSRPT_MISSING';

function error(detail: string, message: string, rule: string): Finding {
  return finding('error', CODE, message, rule, detail);
}

/** RPT-TXT-2/3: `mailto:` or `https:` URI with `,`, `!` and `;` percent-encoded. */
function uriProblems(uri: string): Finding[] {
  if (uri === '') return [error('TLSRPT_URI_EMPTY', 'The rua list contains an empty URI.', 'RPT-TXT-2')];
  const q = show(uri);
  const sizeHint = uri.match(/!\d+[kmgt]?$/i);
  if (sizeHint) {
    return [
      error(
        'TLSRPT_URI_SIZE_HINT',
        `The rua URI ${q} ends with the DMARC-style size limit ${show(sizeHint[0])}; TLS-RPT has no size hint and "!" must be percent-encoded.`,
        'RPT-TXT-3',
      ),
    ];
  }
  if (uri.includes('!')) {
    return [error('TLSRPT_URI_UNENCODED', `The rua URI ${q} contains "!", which must be percent-encoded as %21.`, 'RPT-TXT-3')];
  }
  if (!/^[\x21-\x7E]+$/.test(uri) || /["<>\\^`{|}]/.test(uri)) {
    return [error('TLSRPT_URI_INVALID', `The rua URI ${q} contains spaces or characters not allowed in a URI.`, 'RPT-TXT-2')];
  }
  const scheme = uri.slice(0, Math.max(uri.indexOf(':'), 0)).toLowerCase();
  if (scheme === 'mailto') {
    if (!/^mailto:[^@/?#]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?:\?.*)?$/i.test(uri)) {
      return [error('TLSRPT_URI_INVALID', `The rua URI ${q} is not a valid mailto: address (mailto:local@domain).`, 'RPT-TXT-2')];
    }
    return [];
  }
  if (scheme === 'https') {
    let host = '';
    try {
      host = new URL(uri).hostname;
    } catch {
      host = '';
    }
    if (!/^https:\/\/[^/]/i.test(uri) || host === '') {
      return [error('TLSRPT_URI_INVALID', `The rua URI ${q} is not a valid https: URL with a host.`, 'RPT-TXT-2')];
    }
    return [];
  }
  return [
    error(
      'TLSRPT_URI_SCHEME',
      `The rua URI ${q} uses the scheme ${show(scheme || uri)}; only "mailto:" and "https:" are allowed.`,
      'RPT-TXT-2',
    ),
  ];
}

export function parseTlsRptTxt(txt: string): Parsed<TlsRptRecord> {
  const split = splitTxtFields(txt, 'TLSRPTv1');
  const findings: Finding[] = split.problems.map((p) => error(p.detail.replace(/^TXT_/, 'TLSRPT_'), p.message, p.kind === 'version' ? 'RPT-TXT-1' : 'RPT-TXT-4'));
  if (split.spaceBeforeFirstSemicolon) {
    findings.push(
      finding(
        'warn',
        'TLSRPT_SPACE_BEFORE_SEMICOLON',
        `The record ${show(txt)} has a space before the first ";": it fits the grammar, but senders that look for the literal prefix "v=TLSRPTv1;" ignore it.`,
        'RPT-TXT-1',
      ),
    );
  }
  const rua: string[] = [];
  let ruaFields = 0;
  const extensions: Record<string, string> = {};
  for (const { key, value } of split.fields) {
    if (key === 'rua') {
      ruaFields++;
      for (const uri of value.split(/[ \t]*,[ \t]*/)) {
        const problems = uriProblems(uri);
        findings.push(...problems);
        if (problems.length === 0 && !rua.includes(uri)) rua.push(uri);
      }
      continue;
    }
    if (key === 'v') {
      findings.push(error('TLSRPT_VERSION', `The record ${show(txt)} repeats the version field "v"; "v=TLSRPTv1" must appear once, first.`, 'RPT-TXT-1'));
      continue;
    }
    if (!TXT_EXT_VALUE_RE.test(value)) {
      findings.push(
        error(
          'TLSRPT_EXTENSION_INVALID',
          `The extension field ${show(`${key}=${value}`)} has an invalid value: it must be printable ASCII without spaces, "=" or ";".`,
          'RPT-TXT-4',
        ),
      );
      continue;
    }
    if (!(key in extensions)) extensions[key] = value;
  }
  if (ruaFields === 0) {
    findings.push(error('TLSRPT_RUA_MISSING', `The record ${show(txt)} has no "rua=" field; it is required.`, 'RPT-TXT-2'));
  }
  if (ruaFields > 1) {
    findings.push(
      finding('warn', 'TLSRPT_SEVERAL_RUA', `The record ${show(txt)} has ${ruaFields} "rua=" fields; their URIs are combined, but some senders read only one field.`, 'RPT-TXT-4'),
    );
  }
  if (rua.length > 1) {
    findings.push(
      finding(
        'info',
        'TLSRPT_SEVERAL_URIS',
        `The record lists ${rua.length} report URIs (${rua.join(', ')}); a single rua is advised because some reporters use only one and others send to all.`,
        'RPT-TXT-5',
      ),
    );
  }
  if (hasError(findings)) return { value: null, findings };
  return { value: { version: 'TLSRPTv1', rua, extensions }, findings };
}

/** RPT-TXT-1: `records` are all TXT records at `_smtp._tls.<domain>`, each already joined. */
export function selectTlsRptTxt(records: string[]): Parsed<TlsRptRecord> {
  const findings: Finding[] = [];
  const candidates: string[] = [];
  for (const r of records) {
    if (r.startsWith('v=TLSRPTv1;') || /^v=TLSRPTv1[ \t]+;/.test(r)) candidates.push(r);
    else if (/^\s*v\s*=\s*tlsrpt/i.test(r)) {
      findings.push(
        finding('warn', 'TLSRPT_IGNORED_RECORD', `The TXT record ${show(r)} does not start with the literal "v=TLSRPTv1;", so senders ignore it.`, 'RPT-TXT-1'),
      );
    }
  }
  if (candidates.length !== 1) {
    const message =
      candidates.length === 0
        ? `No TXT record starting with "v=TLSRPTv1;" was found among ${records.length} record(s), so senders send no TLS reports.`
        : `${candidates.length} TXT records start with "v=TLSRPTv1;" (${candidates.map(show).join(', ')}); senders need exactly one, so they send no TLS reports.`;
    findings.push(error(candidates.length === 0 ? 'TLSRPT_NONE' : 'TLSRPT_SEVERAL', message, 'RPT-TXT-1'));
    return { value: null, findings };
  }
  const parsed = parseTlsRptTxt(candidates[0]);
  return { value: parsed.value, findings: [...findings, ...parsed.findings] };
}

export function serializeTlsRptTxt(rua: string[]): string {
  return `v=TLSRPTv1; rua=${rua.join(',')}`;
}
