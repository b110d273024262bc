// `_mta-sts` TXT record (spec notes §1, RFC 8461 §3.1).
import { finding, hasError, show } from './finding.js';
import { isValidPolicyId } from './policy-id.js';
import { splitTxtFields, TXT_EXT_VALUE_RE, type TxtProblem } from './txt-fields.js';
import type { Finding, Parsed, StsTxtRecord } from './types.js';

const CODE = 'TXT_INVALID';
const RULE_BY_KIND: Record<TxtProblem['kind'], string> = { ascii: 'STS-TXT-2', version: 'STS-TXT-3', syntax: 'STS-TXT-2' };

export function parseStsTxt(txt: string): Parsed<StsTxtRecord> {
  const split = splitTxtFields(txt, 'STSv1');
  const findings: Finding[] = split.problems.map((p) => {
    let rule = RULE_BY_KIND[p.kind];
    // `V=STSv1` / `v =STSv1` are case or spacing errors (STS-TXT-2); `id=1; v=STSv1` or `v=STSv12` are STS-TXT-3.
    if (p.kind === 'version' && /^\s*v\s*=\s*STSv1\s*$/i.test(txt.split(';')[0])) rule = 'STS-TXT-2';
    return finding('error', CODE, p.message, rule, p.detail);
  });
  if (split.spaceBeforeFirstSemicolon) {
    findings.push(
      finding(
        'warn',
        'TXT_SPACE_BEFORE_SEMICOLON',
        `The record ${show(txt)} has a space before the first ";": it fits the grammar, but senders that look for the literal prefix "v=STSv1;" ignore it. Publish "v=STSv1; id=…".`,
        'STS-TXT-10',
      ),
    );
  }
  let id: string | null = null;
  const extensions: Record<string, string> = {};
  for (const { key, value } of split.fields) {
    if (key === 'id') {
      if (id !== null) {
        findings.push(
          finding('warn', 'TXT_DUPLICATE_ID', `The record ${show(txt)} has a second id field (${show(value)}); the first one (${show(id)}) is used.`, 'STS-TXT-6'),
        );
        continue;
      }
      id = value;
      if (!isValidPolicyId(value)) {
        findings.push(
          finding(
            'error',
            CODE,
            `The id ${show(value)} is not valid: an id is 1 to 32 letters and digits only (no "-", ":", ".", "_" or spaces).`,
            'STS-TXT-4',
            'TXT_ID_INVALID',
          ),
        );
      }
      continue;
    }
    if (key === 'v') {
      findings.push(finding('error', CODE, `The record ${show(txt)} repeats the version field "v" later on; "v=STSv1" must appear once, as the first field.`, 'STS-TXT-3', 'TXT_VERSION'));
      continue;
    }
    if (!TXT_EXT_VALUE_RE.test(value)) {
      findings.push(
        finding(
          'error',
          CODE,
          `The extension field ${show(`${key}=${value}`)} has an invalid value: it must be one or more printable ASCII characters without spaces, "=" or ";".`,
          'STS-TXT-9',
          'TXT_EXTENSION_INVALID',
        ),
      );
      continue;
    }
    if (!(key in extensions)) extensions[key] = value;
  }
  if (id === null) {
    findings.push(finding('error', CODE, `The record ${show(txt)} has no "id=" field; the id is required.`, 'STS-TXT-4', 'TXT_ID_MISSING'));
  }
  if (hasError(findings) || id === null) return { value: null, findings };
  return { value: { version: 'STSv1', id, extensions }, findings };
}

/** Records that look like a failed attempt at an MTA-STS record, worth naming when they are dropped. */
function looksLikeSts(txt: string): boolean {
  return /^\s*v\s*=\s*sts/i.test(txt);
}

/** STS-TXT-7: `records` are all TXT records at `_mta-sts.<domain>`, each already joined (STS-TXT-8). */
export function selectStsTxt(records: string[]): Parsed<StsTxtRecord> {
  const findings: Finding[] = [];
  const candidates: string[] = [];
  for (const r of records) {
    // STS-TXT-10: `v=STSv1 ;` fails the literal filter but fits the grammar; we keep it and parseStsTxt warns.
    if (r.startsWith('v=STSv1;') || /^v=STSv1[ \t]+;/.test(r)) {
      candidates.push(r);
    } else if (looksLikeSts(r)) {
      findings.push(
        finding('warn', 'TXT_IGNORED_RECORD', `The TXT record ${show(r)} does not start with the literal "v=STSv1;", so senders ignore it.`, 'STS-TXT-7'),
      );
    }
  }
  if (candidates.length !== 1) {
    const message =
      candidates.length === 0
        ? `No TXT record starting with "v=STSv1;" was found among ${records.length} record(s), so senders see no MTA-STS policy.`
        : `${candidates.length} TXT records start with "v=STSv1;" (${candidates.map(show).join(', ')}); senders need exactly one, so they see no MTA-STS policy.`;
    findings.push(finding('error', CODE, message, 'STS-TXT-7', candidates.length === 0 ? 'TXT_MISSING' : 'TXT_SEVERAL'));
    return { value: null, findings };
  }
  const parsed = parseStsTxt(candidates[0]);
  return { value: parsed.value, findings: [...findings, ...parsed.findings] };
}

export function serializeStsTxt(id: string): string {
  return `v=STSv1; id=${id}`;
}
