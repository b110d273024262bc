// Policy file body (spec notes §2, RFC 8461 §3.2). Strict for files, lenient for report policy-strings.
import { finding, hasError, show } from './finding.js';
import { mxPatternProblem } from './mx-pattern.js';
import { FIELD_NAME_RE } from './txt-fields.js';
import type { Finding, Parsed, StsMode, StsPolicy } from './types.js';

export const MAX_AGE_LIMIT = 31557600;
/** STS-POL-17: senders are advised to cap the body at 64 KiB. */
export const POLICY_MAX_BYTES = 65536;

const CODE = 'POLICY_INVALID';
const MODES: readonly StsMode[] = ['testing', 'enforce', 'none'];
const KNOWN_KEYS = ['version', 'mode', 'mx', 'max_age'];
/** Extension value: no leading/trailing space, no control characters (UTF-8 and inner spaces allowed). */
const EXT_VALUE_RE = /^[^\x00-\x20\x7F](?:[^\x00-\x1F\x7F]*[^\x00-\x20\x7F])?$/u;

interface Line {
  number: number;
  key: string;
  value: string;
}

function error(detail: string, message: string, rule: string): Finding {
  return finding('error', CODE, message, rule, detail);
}

/** Strict parse of a served policy file. */
export function parsePolicy(body: string): Parsed<StsPolicy> {
  const findings: Finding[] = [];
  let text = body;
  if (text.startsWith('\uFEFF')) {
    findings.push(error('POLICY_BOM', 'The policy file starts with a UTF-8 byte order mark (U+FEFF), which makes it invalid.', 'STS-POL-7'));
    text = text.slice(1);
  }
  const bytes = new TextEncoder().encode(body).length;
  if (bytes > POLICY_MAX_BYTES) {
    findings.push(error('POLICY_TOO_LARGE', `The policy file is ${bytes} bytes, over the ${POLICY_MAX_BYTES}-byte (64 KiB) limit senders apply.`, 'STS-POL-17'));
  }
  if (text === '') {
    findings.push(error('POLICY_EMPTY', 'The policy file is empty.', 'STS-POL-9'));
    return { value: null, findings };
  }
  const raw = text.split('\n');
  // One final line terminator is allowed; it leaves one empty element at the end.
  if (raw[raw.length - 1] === '') raw.pop();
  const lines: Line[] = [];
  raw.forEach((rawLine, i) => {
    const number = i + 1;
    const content = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (content.includes('\r')) {
      findings.push(
        error(
          'POLICY_BARE_CR',
          `Line ${number} (${show(content)}) contains a carriage return that is not followed by a line feed; a bare CR does not end a line.`,
          'STS-POL-6',
        ),
      );
      return;
    }
    if (content.trim() === '') {
      findings.push(error('POLICY_BLANK_LINE', `Line ${number} is blank; blank lines (including a doubled final newline) make the policy invalid.`, 'STS-POL-7'));
      return;
    }
    if (/^\s/.test(content)) {
      findings.push(error('POLICY_LEADING_SPACE', `Line ${number} (${show(content)}) starts with whitespace, which makes the policy invalid.`, 'STS-POL-7'));
      return;
    }
    const colon = content.indexOf(':');
    const key = colon < 0 ? content : content.slice(0, colon);
    if (colon < 0 || !FIELD_NAME_RE.test(key)) {
      findings.push(
        error('POLICY_LINE_SYNTAX', `Line ${number} (${show(content)}) is not a "key: value" line with a valid key name.`, 'STS-POL-6'),
      );
      return;
    }
    // ":" then optional WSP; trailing whitespace on a line is allowed.
    const value = content.slice(colon + 1).replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
    lines.push({ number, key, value });
  });
  return buildPolicy(lines, findings, 'strict');
}

/**
 * Lenient parse of a report's `policy-string` (RPT-DEV-15): each line is split on the first ":" and
 * both sides trimmed; blank lines are skipped. Value rules still apply so the result is comparable.
 */
export function parsePolicyLines(lines: string[]): Parsed<StsPolicy> {
  const findings: Finding[] = [];
  const parsed: Line[] = [];
  let number = 0;
  for (const entry of lines) {
    for (const rawLine of entry.split(/\r?\n/)) {
      number++;
      const content = rawLine.trim();
      if (content === '') continue;
      const colon = content.indexOf(':');
      if (colon < 0) {
        findings.push(error('POLICY_LINE_SYNTAX', `The policy-string line ${show(content)} has no ":".`, 'STS-POL-6'));
        continue;
      }
      parsed.push({ number, key: content.slice(0, colon).trim(), value: content.slice(colon + 1).trim() });
    }
  }
  return buildPolicy(parsed, findings, 'lenient');
}

function buildPolicy(lines: Line[], findings: Finding[], mode: 'strict' | 'lenient'): Parsed<StsPolicy> {
  const first = new Map<string, Line>();
  const mx: string[] = [];
  const extensions: Record<string, string> = {};
  for (const line of lines) {
    if (line.key === 'mx') {
      const problem = mxPatternProblem(line.value);
      if (problem) findings.push(error(problem.detail, `Line ${line.number}: ${problem.message}`, 'STS-POL-12'));
      else mx.push(line.value);
      continue;
    }
    const earlier = first.get(line.key);
    if (earlier) {
      findings.push(
        finding(
          'warn',
          'POLICY_DUPLICATE_KEY',
          `The key "${line.key}" appears again on line ${line.number} (${show(line.value)}); the first value (${show(earlier.value)}, line ${earlier.number}) is used, but some senders keep the last one.`,
          'STS-POL-10',
        ),
      );
      continue;
    }
    first.set(line.key, line);
    if (KNOWN_KEYS.includes(line.key)) continue;
    const known = KNOWN_KEYS.find((k) => k === line.key.toLowerCase());
    if (known) {
      findings.push(
        finding(
          'warn',
          'POLICY_KEY_CASE',
          `The key "${line.key}" on line ${line.number} differs from "${known}" only by case; keys are case-sensitive, so it is read as an unknown extension.`,
          'STS-POL-8',
        ),
      );
    }
    if (mode === 'strict' && !EXT_VALUE_RE.test(line.value)) {
      findings.push(
        error(
          'POLICY_EXTENSION_INVALID',
          `Line ${line.number}: the extension "${line.key}" has the value ${show(line.value)}, which is empty, has control characters or leading/trailing spaces.`,
          'STS-POL-15',
        ),
      );
      continue;
    }
    extensions[line.key] = line.value;
  }

  const version = first.get('version');
  if (!version) findings.push(error('POLICY_VERSION_MISSING', 'The policy has no "version: STSv1" line.', 'STS-POL-9'));
  else if (version.value !== 'STSv1') {
    findings.push(error('POLICY_VERSION_INVALID', `The policy version is ${show(version.value)}, but it must be exactly "STSv1" (case-sensitive).`, 'STS-POL-8'));
  }

  const modeLine = first.get('mode');
  let stsMode: StsMode | null = null;
  if (!modeLine) {
    findings.push(error('POLICY_MODE_MISSING', 'The policy has no "mode" line; there is no default mode.', 'STS-POL-9'));
  } else if (!(MODES as readonly string[]).includes(modeLine.value)) {
    findings.push(
      error('POLICY_MODE_INVALID', `The policy mode is ${show(modeLine.value)}, but it must be exactly "testing", "enforce" or "none" (case-sensitive).`, 'STS-POL-8'),
    );
  } else {
    stsMode = modeLine.value as StsMode;
  }

  const maxAgeLine = first.get('max_age');
  let maxAge: number | null = null;
  if (!maxAgeLine) {
    findings.push(error('POLICY_MAX_AGE_MISSING', 'The policy has no "max_age" line.', 'STS-POL-9'));
  } else {
    const checked = checkMaxAgeText(maxAgeLine.value);
    findings.push(...checked.findings);
    maxAge = checked.value;
  }

  if (mx.length === 0 && stsMode !== null && stsMode !== 'none' && !findings.some((f) => f.rule === 'STS-POL-12')) {
    findings.push(error('POLICY_MX_MISSING', `The policy is in mode "${stsMode}" but has no "mx" line; at least one is required unless the mode is "none".`, 'STS-POL-11'));
  }

  if (hasError(findings) || stsMode === null || maxAge === null) return { value: null, findings };
  return { value: { version: 'STSv1', mode: stsMode, mx, maxAge, extensions }, findings };
}

/** STS-POL-14: 1–10 digits, ≤ 31557600; `0` is legal but warned about. */
function checkMaxAgeText(text: string): Parsed<number> {
  if (!/^[0-9]{1,10}$/.test(text)) {
    return {
      value: null,
      findings: [error('POLICY_MAX_AGE_INVALID', `The max_age ${show(text)} is not a number of 1 to 10 digits.`, 'STS-POL-14')],
    };
  }
  const n = Number(text);
  if (n > MAX_AGE_LIMIT) {
    return {
      value: null,
      findings: [error('POLICY_MAX_AGE_TOO_LARGE', `The max_age ${n} is above the limit of ${MAX_AGE_LIMIT} seconds (about one year); senders drop such a policy.`, 'STS-POL-14')],
    };
  }
  const findings: Finding[] = [];
  if (n === 0) {
    findings.push(
      finding('warn', 'MAX_AGE_ZERO', 'The max_age is 0: legal, but several senders and checkers reject it and senders cannot cache the policy.', 'STS-POL-14'),
    );
  }
  return { value: n, findings };
}
