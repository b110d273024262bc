import { readPolicyBody, readStsTxtId, readTlsRptRua, type StsPolicy } from './sts-records.js';
import type { Blocker, PolicyFetch } from './rollout.types.js';

/** STS-POL-17: senders cap the policy body at 64 KiB. */
export const MAX_POLICY_BYTES = 65_536;
const CHARSETS = ['utf-8', 'us-ascii'];

export interface LiveRecords {
  txtId: string | null;
  /** The served policy when the fetch was a clean 200 and the body parsed; else null. */
  servedPolicy: StsPolicy | null;
  fetchOk: boolean;
  tlsRptValid: boolean;
  blockers: Blocker[];
}

function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
}

/** STS-POL-4: `text/plain`, and only a utf-8 / us-ascii charset if one is given. */
export function isPlainTextType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type = '', ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'text/plain') return false;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    if (!CHARSETS.includes(value.trim().replace(/^"|"$/g, '').toLowerCase())) return false;
  }
  return true;
}

/** Why the fetch is not a plain 200 over a valid certificate (STS-POL-2..5, STS-POL-17); empty when it is. */
export function fetchProblems(fetch: PolicyFetch, domain: string): string[] {
  const problems: string[] = [];
  if (fetch.status === null) problems.push('no HTTP response arrived');
  else if (fetch.redirected || (fetch.status >= 300 && fetch.status < 400)) {
    problems.push(`it answered with a redirect (HTTP ${fetch.status}); senders never follow redirects`);
  } else if (fetch.status !== 200) problems.push(`it answered HTTP ${fetch.status}, and only 200 yields a policy`);
  if (fetch.certValid !== true) {
    problems.push(`the certificate is ${fetch.certValid === false ? 'not valid' : 'unverified'} for mta-sts.${domain}`);
  }
  if (fetch.status === 200 && !fetch.redirected && !isPlainTextType(fetch.contentType)) {
    problems.push(`the content type is ${JSON.stringify(fetch.contentType ?? '')}, not text/plain`);
  }
  const bytes = new TextEncoder().encode(fetch.body ?? '').length;
  if (bytes > MAX_POLICY_BYTES) problems.push(`the body is ${bytes} bytes, over the ${MAX_POLICY_BYTES}-byte cap`);
  return problems;
}

export function checkLiveRecords(
  domain: string,
  mtaStsTxt: string[],
  tlsrptTxt: string[],
  fetch: PolicyFetch,
  suggestedTlsRptTxt: string,
): LiveRecords {
  const blockers: Blocker[] = [];

  const txt = readStsTxtId(mtaStsTxt);
  if (txt.value === null) {
    const why = mtaStsTxt.length === 0 ? 'there is no TXT record' : txt.errors.join(' ') || 'no record is usable';
    blockers.push({
      code: 'TXT_INVALID',
      message: `_mta-sts.${domain} has no single valid v=STSv1 record: ${why}`,
      evidence: { name: `_mta-sts.${domain}`, records: mtaStsTxt, errors: txt.errors },
    });
  }

  const problems = fetchProblems(fetch, domain);
  let servedPolicy: StsPolicy | null = null;
  if (problems.length > 0) {
    blockers.push({
      code: 'POLICY_FETCH_FAILED',
      message: `Fetching ${policyUrl(domain)} failed: ${problems.join('; ')}.`,
      evidence: {
        url: policyUrl(domain),
        status: fetch.status,
        redirected: fetch.redirected,
        certValid: fetch.certValid,
        contentType: fetch.contentType,
        problems,
      },
    });
  } else {
    const parsed = readPolicyBody(fetch.body ?? '');
    servedPolicy = parsed.value;
    if (parsed.value === null) {
      blockers.push({
        code: 'POLICY_INVALID',
        message: `The policy served at ${policyUrl(domain)} does not parse: ${parsed.errors.join(' ') || 'it is not a valid STSv1 policy.'}`,
        evidence: { url: policyUrl(domain), errors: parsed.errors },
      });
    }
  }

  const rua = readTlsRptRua(tlsrptTxt);
  if (rua.value === null) {
    const why = tlsrptTxt.length === 0 ? 'there is no TXT record' : rua.errors.join(' ') || 'no record is usable';
    blockers.push({
      code: 'TLSRPT_MISSING',
      message: `_smtp._tls.${domain} has no valid v=TLSRPTv1 record (${why}); publish ${suggestedTlsRptTxt}`,
      evidence: { name: `_smtp._tls.${domain}`, records: tlsrptTxt, errors: rua.errors, suggestedRecord: suggestedTlsRptTxt },
    });
  }

  return { txtId: txt.value, servedPolicy, fetchOk: problems.length === 0, tlsRptValid: rua.value !== null, blockers };
}
