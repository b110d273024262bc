// MX patterns of a policy (STS-POL-12, STS-POL-13).
import { domainToASCII } from 'node:url';

export interface PatternProblem {
  detail: string;
  message: string;
}

const LDH_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** RFC 5321 `Domain` in A-label form: dot-separated letter/digit/hyphen labels, ≤63 chars each, ≤253 in all. */
export function domainProblem(name: string, what: string): PatternProblem | null {
  const q = JSON.stringify(name);
  if (name === '') return { detail: 'MX_EMPTY', message: `The ${what} is empty.` };
  if (/[^\x00-\x7F]/.test(name)) {
    return {
      detail: 'MX_U_LABEL',
      message: `The ${what} ${q} contains non-ASCII characters; write it in A-label (punycode) form${asciiHint(name)}.`,
    };
  }
  if (name.endsWith('.')) return { detail: 'MX_TRAILING_DOT', message: `The ${what} ${q} ends with a dot; write it without the trailing dot.` };
  if (name.length > 253) return { detail: 'MX_TOO_LONG', message: `The ${what} ${q} is longer than 253 characters.` };
  for (const label of name.split('.')) {
    if (!LDH_LABEL_RE.test(label)) {
      return {
        detail: label.includes('*') ? 'MX_WILDCARD_POSITION' : 'MX_LABEL_INVALID',
        message: label.includes('*')
          ? `The ${what} ${q} has "*" in the wrong place: "*" is allowed only as the whole first label ("*.example.com").`
          : `The ${what} ${q} has the label ${JSON.stringify(label)}, which is not 1 to 63 letters, digits or inner hyphens.`,
      };
    }
  }
  return null;
}

function asciiHint(name: string): string {
  const ascii = domainToASCII(name.replace(/^\*\./, '').replace(/\.$/, ''));
  return ascii ? ` (${JSON.stringify(name.startsWith('*.') ? `*.${ascii}` : ascii)})` : '';
}

/** `["*."] Domain` with A-labels only, no trailing dot, `*` only as the entire first label. */
export function mxPatternProblem(pattern: string): PatternProblem | null {
  const rest = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  const problem = domainProblem(rest, 'mx pattern');
  if (problem === null) return null;
  // Report the whole pattern, not only the part after "*.".
  return { detail: problem.detail, message: problem.message.replace(JSON.stringify(rest), JSON.stringify(pattern)) };
}

export function isValidMxPattern(pattern: string): boolean {
  return mxPatternProblem(pattern) === null;
}

function normalizeHost(host: string): string {
  const bare = host.replace(/\.+$/, '');
  // Compare IDN hosts in their A-label form, as patterns must be written.
  const ascii = /[^\x00-\x7F]/.test(bare) ? domainToASCII(bare) : bare;
  return ascii.toLowerCase();
}

/**
 * STS-POL-13: case-insensitive; a plain pattern matches exactly, `*.d` matches exactly one extra
 * left-most label. Trailing dots on the host are ignored; an invalid pattern matches nothing.
 */
export function mxMatches(pattern: string, host: string): boolean {
  const h = normalizeHost(host);
  const p = pattern.toLowerCase();
  if (h === '' || !isValidMxPattern(p)) return false;
  if (!p.startsWith('*.')) return h === p;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

export function mxCovered(patterns: string[], host: string): boolean {
  return patterns.some((p) => mxMatches(p, host));
}
