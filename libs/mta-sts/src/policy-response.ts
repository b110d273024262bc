// What a served policy response must look like before its body counts (STS-POL-1..5, STS-POL-17, STS-POL-18). Pure: the
// caller does the HTTPS fetch and passes what it saw.
import { finding, show } from './finding.js';
import { POLICY_MAX_BYTES } from './policy-parser.js';
import type { Finding } from './types.js';

/** STS-POL-17: senders are advised to give up on a fetch after 60 s. */
export const POLICY_FETCH_TIMEOUT_MS = 60_000;
/** STS-POL-18: the content type we serve. */
export const POLICY_CONTENT_TYPE = 'text/plain; charset=utf-8';

const CODE = 'POLICY_FETCH_FAILED';
const ALLOWED_CHARSETS = ['utf-8', 'us-ascii'];

export function policyHost(domain: string): string {
  return `mta-sts.${domain}`;
}

/** STS-POL-1: exactly this URL, HTTPS only. */
export function policyUrl(domain: string): string {
  return `https://${policyHost(domain)}/.well-known/mta-sts.txt`;
}

export interface PolicyResponse {
  status: number;
  contentType: string | null;
  /** True when the client followed a redirect to get this response. */
  redirected?: boolean;
  bodyBytes?: number;
  elapsedMs?: number;
}

/** STS-POL-4: `text/plain`, optional `charset=utf-8|us-ascii` (any case, quoted or not); other parameters ignored. */
export function contentTypeProblem(contentType: string | null): string | null {
  if (contentType === null || contentType.trim() === '') return 'The policy response has no Content-Type; it must be text/plain.';
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'text/plain') {
    return `The policy response has Content-Type ${show(contentType)}; it must be text/plain.`;
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (!ALLOWED_CHARSETS.includes(charset)) {
      return `The policy response has Content-Type ${show(contentType)}; the charset must be utf-8 or us-ascii.`;
    }
  }
  return null;
}

export function checkPolicyResponse(r: PolicyResponse): Finding[] {
  const findings: Finding[] = [];
  if (r.status >= 300 && r.status < 400) {
    findings.push(
      finding('error', CODE, `The policy URL answered with redirect status ${r.status}; senders never follow redirects.`, 'STS-POL-3', 'POLICY_REDIRECT'),
    );
  } else if (r.status !== 200) {
    findings.push(finding('error', CODE, `The policy URL answered with status ${r.status}; only 200 yields a policy.`, 'STS-POL-2', 'POLICY_HTTP_STATUS'));
  }
  if (r.redirected) {
    findings.push(
      finding('error', CODE, 'The policy was reached through a redirect; senders never follow redirects, even to a valid file.', 'STS-POL-3', 'POLICY_REDIRECT'),
    );
  }
  if (r.status === 200) {
    const problem = contentTypeProblem(r.contentType);
    if (problem) findings.push(finding('error', CODE, problem, 'STS-POL-4', 'POLICY_CONTENT_TYPE'));
  }
  if (r.bodyBytes !== undefined && r.bodyBytes > POLICY_MAX_BYTES) {
    findings.push(
      finding('error', CODE, `The policy body is ${r.bodyBytes} bytes, over the ${POLICY_MAX_BYTES}-byte limit senders apply.`, 'STS-POL-17', 'POLICY_TOO_LARGE'),
    );
  }
  if (r.elapsedMs !== undefined && r.elapsedMs > POLICY_FETCH_TIMEOUT_MS) {
    findings.push(
      finding('error', CODE, `The policy fetch took ${Math.round(r.elapsedMs / 1000)} s, over the 60 s senders allow.`, 'STS-POL-17', 'POLICY_TOO_SLOW'),
    );
  }
  return findings;
}

/**
 * STS-POL-5: does a certificate SAN DNS name cover `host`? Case-insensitive; a wildcard is allowed only as the
 * whole left-most label and covers exactly one label.
 */
export function certNameMatches(sanName: string, host: string): boolean {
  const name = sanName.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.+$/, '');
  if (name === '' || h === '') return false;
  if (!name.startsWith('*.')) return !name.includes('*') && name === h;
  const rest = name.slice(2);
  if (rest.includes('*') || !rest.includes('.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}
