// Generated policy, TXT records and zone snippet for one rollout stage (ROLL-3, ROLL-4, ROLL-8, ROLL-9, ROLL-13).
import { finding, hasError, show } from './finding.js';
import { domainProblem, mxPatternProblem } from './mx-pattern.js';
import { normalizeName } from './host-name.js';
import { newPolicyId } from './policy-id.js';
import { MAX_AGE_LIMIT, parsePolicy } from './policy-parser.js';
import { policyUrl } from './policy-response.js';
import { serializePolicy } from './policy-serializer.js';
import { parseStsTxt, serializeStsTxt } from './sts-txt-parser.js';
import { parseTlsRptTxt, serializeTlsRptTxt } from './tlsrpt-txt-parser.js';
import type { Finding, StsMode, StsPolicy } from './types.js';
import { zoneSnippet } from './zone-snippet.js';

export type RolloutStage = 'testing' | 'enforce-first' | 'enforce-steady' | 'retire';

export const ROLLOUT_STAGES: readonly RolloutStage[] = ['testing', 'enforce-first', 'enforce-steady', 'retire'];

export const STAGE_MAX_AGE: Record<RolloutStage, number> = {
  testing: 86400,
  'enforce-first': 604800,
  'enforce-steady': 1209600,
  retire: 86400,
};

const STAGE_MODE: Record<RolloutStage, StsMode> = {
  testing: 'testing',
  'enforce-first': 'enforce',
  'enforce-steady': 'enforce',
  retire: 'none',
};

const DEFAULT_STAGE_FOR_MODE: Record<StsMode, RolloutStage> = {
  testing: 'testing',
  enforce: 'enforce-first',
  none: 'retire',
};

/** STS-FET-11: a common recommendation for the TXT TTL. */
export const DEFAULT_TXT_TTL = 3600;
const MIN_TESTING_MAX_AGE = 86400;
const MIN_ENFORCE_MAX_AGE = 1209600;

export interface GenerateInput {
  domain: string;
  mx: string[];
  stage?: RolloutStage;
  mode?: StsMode;
  maxAge?: number;
  /** rua target of this service: `tlsrpt@host`, or a full `mailto:` / `https:` URI. */
  reportAddress?: string;
  usedIds?: string[];
  now: Date;
  txtTtl?: number;
}

export interface GeneratedRecords {
  policy: StsPolicy;
  policyBody: string;
  id: string;
  stsTxt: string;
  tlsRptTxt: string | null;
  zoneSnippet: string;
  policyUrl: string;
}

export type GenerateResult = { ok: true; value: GeneratedRecords; findings: Finding[] } | { ok: false; findings: Finding[] };

function refuse(code: string, message: string, rule?: string): Finding {
  return finding('error', code, message, rule);
}

function checkDomain(input: string, findings: Finding[]): string | null {
  const n = normalizeName(input);
  if (n.isIpAddress) {
    findings.push(refuse('DOMAIN_INVALID', `The domain ${show(input)} is an IP address; MTA-STS needs a domain name.`, 'STS-TXT-1'));
    return null;
  }
  if (n.trailingDot) {
    findings.push(finding('warn', 'DOMAIN_TRAILING_DOT', `The trailing dot of the domain ${show(input)} was removed.`));
  }
  if (n.wasIdn && n.ascii !== '') {
    findings.push(finding('info', 'DOMAIN_IDN_CONVERTED', `The domain ${show(input)} was converted to its A-label form ${show(n.ascii)}.`));
  }
  const problem = n.ascii === '' ? { message: `The domain ${show(input)} cannot be converted to A-labels.` } : domainProblem(n.ascii, 'domain');
  if (problem || n.ascii.startsWith('*') || !n.ascii.includes('.')) {
    const why = problem ? problem.message : `The domain ${show(input)} must be a name with at least two labels and no wildcard.`;
    findings.push(refuse('DOMAIN_INVALID', why, 'STS-TXT-1'));
    return null;
  }
  return n.ascii;
}

function checkMx(patterns: string[], mode: StsMode, findings: Finding[]): string[] {
  const out: string[] = [];
  for (const input of patterns) {
    const n = normalizeName(input);
    if (n.isIpAddress) {
      findings.push(refuse('MX_INVALID', `The MX ${show(input)} is an IP address; MX records and mx patterns must be host names.`, 'STS-POL-12'));
      continue;
    }
    if (input.trim() === '.' || input.trim() === '') {
      findings.push(refuse('MX_INVALID', `The MX ${show(input)} is a null or empty MX; a domain that receives no mail cannot have an MTA-STS mx list.`, 'STS-POL-11'));
      continue;
    }
    if (n.trailingDot) {
      findings.push(finding('warn', 'MX_TRAILING_DOT', `The trailing dot of the MX ${show(input)} was removed; policy mx patterns are written without it.`, 'STS-POL-12'));
    }
    if (n.wasIdn && n.ascii !== '') {
      findings.push(finding('info', 'MX_IDN_CONVERTED', `The MX ${show(input)} was converted to its A-label form ${show(n.ascii)}.`, 'STS-POL-12'));
    }
    const problem = n.ascii === '' ? { message: `The MX ${show(input)} cannot be converted to A-labels.` } : mxPatternProblem(n.ascii);
    if (problem) {
      findings.push(refuse('MX_PATTERN_INVALID', problem.message, 'STS-POL-12'));
      continue;
    }
    if (out.includes(n.ascii)) {
      findings.push(finding('info', 'MX_DUPLICATE', `The MX pattern ${show(n.ascii)} was given more than once; it is listed once.`));
      continue;
    }
    out.push(n.ascii);
  }
  if (out.length === 0 && patterns.length === 0 && mode !== 'none') {
    findings.push(refuse('MX_INVALID', `A policy in mode "${mode}" needs at least one mx pattern.`, 'STS-POL-11'));
  }
  return out;
}

/** CHK-6: a wildcard under the customer's own zone lets any host there with a valid certificate receive mail. */
function warnOwnZoneWildcards(domain: string, mx: string[], findings: Finding[]): void {
  for (const pattern of mx) {
    const base = pattern.startsWith('*.') ? pattern.slice(2) : null;
    if (base !== null && (base === domain || base.endsWith(`.${domain}`))) {
      findings.push(
        finding(
          'warn',
          'MX_WILDCARD_OWN_ZONE',
          `The mx pattern ${show(pattern)} is a wildcard under ${domain}: any host there with a valid certificate would pass. List the MX hosts by name if you can.`,
          'CHK-6',
        ),
      );
    }
  }
}

function checkMaxAge(maxAge: number, mode: StsMode, stage: RolloutStage, findings: Finding[]): boolean {
  if (!Number.isInteger(maxAge)) {
    findings.push(refuse('MAX_AGE_INVALID', `The max_age ${show(String(maxAge))} is not a whole number of seconds.`, 'STS-POL-14'));
    return false;
  }
  if (maxAge <= 0 || maxAge > MAX_AGE_LIMIT) {
    findings.push(
      refuse('MAX_AGE_OUT_OF_RANGE', `The max_age ${maxAge} is outside 1..${MAX_AGE_LIMIT} seconds; it is refused, not clamped.`, 'ROLL-3'),
    );
    return false;
  }
  if (mode === 'testing' && maxAge < MIN_TESTING_MAX_AGE) {
    findings.push(finding('warn', 'MAX_AGE_SHORT_TESTING', `The testing max_age ${maxAge} is under ${MIN_TESTING_MAX_AGE} seconds (one day).`, 'ROLL-4'));
  }
  if (mode === 'enforce' && maxAge < MIN_ENFORCE_MAX_AGE) {
    if (stage === 'enforce-first' && maxAge >= STAGE_MAX_AGE['enforce-first']) {
      findings.push(
        finding(
          'info',
          'MAX_AGE_RAMP',
          `The enforce max_age ${maxAge} is the short ramp value; raise it to at least ${MIN_ENFORCE_MAX_AGE} after 14 clean days, with a new id.`,
          'ROLL-9',
        ),
      );
    } else {
      findings.push(finding('warn', 'MAX_AGE_SHORT_ENFORCE', `The enforce max_age ${maxAge} is under ${MIN_ENFORCE_MAX_AGE} seconds (two weeks).`, 'ROLL-4'));
    }
  }
  return true;
}

function ruaFor(address: string, findings: Finding[]): string | null {
  const trimmed = address.trim();
  const uri = /^(mailto|https):/i.test(trimmed) ? trimmed : `mailto:${trimmed}`;
  const parsed = parseTlsRptTxt(serializeTlsRptTxt([uri]));
  if (parsed.value === null || trimmed === '') {
    findings.push(refuse('REPORT_ADDRESS_INVALID', `The report address ${show(address)} does not give a valid mailto: or https: rua URI.`, 'RPT-TXT-2'));
    return null;
  }
  return uri;
}

function resolveStage(input: GenerateInput, findings: Finding[]): { stage: RolloutStage; mode: StsMode } | null {
  if (input.stage !== undefined && !ROLLOUT_STAGES.includes(input.stage)) {
    findings.push(refuse('STAGE_INVALID', `The stage ${show(String(input.stage))} is not one of ${ROLLOUT_STAGES.join(', ')}.`));
    return null;
  }
  if (input.mode !== undefined && !['testing', 'enforce', 'none'].includes(input.mode)) {
    findings.push(refuse('MODE_INVALID', `The mode ${show(String(input.mode))} is not one of testing, enforce, none.`, 'STS-POL-8'));
    return null;
  }
  const stage = input.stage ?? (input.mode ? DEFAULT_STAGE_FOR_MODE[input.mode] : 'testing');
  const mode = STAGE_MODE[stage];
  if (input.mode !== undefined && input.mode !== mode) {
    findings.push(refuse('STAGE_MODE_CONFLICT', `The stage "${stage}" publishes mode "${mode}", but mode "${input.mode}" was asked for.`));
    return null;
  }
  return { stage, mode };
}

export function generateRecords(input: GenerateInput): GenerateResult {
  const findings: Finding[] = [];
  const domain = checkDomain(input.domain, findings);
  const resolved = resolveStage(input, findings);
  const mode = resolved?.mode ?? 'testing';
  const stage = resolved?.stage ?? 'testing';
  const mx = checkMx(input.mx, mode, findings);
  if (domain !== null) warnOwnZoneWildcards(domain, mx, findings);
  const maxAge = input.maxAge ?? STAGE_MAX_AGE[stage];
  if (resolved) checkMaxAge(maxAge, mode, stage, findings);
  const rua = input.reportAddress === undefined ? null : ruaFor(input.reportAddress, findings);
  const ttl = input.txtTtl ?? DEFAULT_TXT_TTL;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 2147483647) {
    findings.push(refuse('TXT_TTL_INVALID', `The TXT TTL ${show(String(ttl))} is not a positive whole number of seconds.`, 'STS-FET-11'));
  }
  if (hasError(findings) || domain === null || resolved === null) return { ok: false, findings };

  const policy: StsPolicy = { version: 'STSv1', mode, mx, maxAge, extensions: {} };
  const policyBody = serializePolicy(policy);
  const id = newPolicyId(input.now, input.usedIds ?? []);
  const stsTxt = serializeStsTxt(id);
  const tlsRptTxt = rua === null ? null : serializeTlsRptTxt([rua]);
  // Our own output must pass our own strict parsers; anything else is a bug here, not bad input.
  if (parsePolicy(policyBody).value === null || parseStsTxt(stsTxt).value === null) {
    throw new Error(`generateRecords produced an invalid record for ${domain}`);
  }
  const url = policyUrl(domain);
  return {
    ok: true,
    value: { policy, policyBody, id, stsTxt, tlsRptTxt, policyUrl: url, zoneSnippet: zoneSnippet({ domain, policyUrl: url, stsTxt, tlsRptTxt, ttl }) },
    findings,
  };
}
