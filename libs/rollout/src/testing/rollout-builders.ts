// Plain-data builders for the rollout specs. Reports are built already parsed (TlsReport), as advise() takes them.
import type { FailureDetail, ReportPolicy, TlsReport } from '@app/tlsrpt';
import type { MxProbe, Observed, PublishedEntry, RolloutInput } from '../rollout.types.js';

export const DOMAIN = 'example.com';
export const MX = ['mx1.example.com', 'mx2.example.com'];
export const ID = '20260105T000000';
export const START = '2026-01-05T00:00:00Z';

export const at = (iso: string): Date => new Date(iso);
export const plusDays = (iso: string, days: number): Date => new Date(new Date(iso).getTime() + days * 86_400_000);

export interface PolicySpec {
  mode?: 'testing' | 'enforce' | 'none';
  mx?: string[];
  maxAge?: number;
}

export function policyLines({ mode = 'testing', mx = MX, maxAge = 86400 }: PolicySpec = {}): string[] {
  return ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`];
}

export function policyText(spec: PolicySpec = {}): string {
  return policyLines(spec).join('\n') + '\n';
}

export function published(atIso: string, id: string, spec: PolicySpec = {}): PublishedEntry {
  return { at: at(atIso), txt: `v=STSv1; id=${id}`, policy: policyText(spec) };
}

export function cleanProbe(host: string): MxProbe {
  return { host, starttls: true, certValid: true, certNames: [host], error: null };
}

export interface LiveSpec extends PolicySpec {
  id?: string;
  dnsMx?: string[];
  probes?: MxProbe[];
}

/** A healthy live deployment of the given policy under `id`. */
export function observed({ id = ID, dnsMx, probes, ...spec }: LiveSpec = {}, overrides: Partial<Observed> = {}): Observed {
  const hosts = dnsMx ?? spec.mx ?? MX;
  return {
    mx: hosts,
    mtaStsTxt: [`v=STSv1; id=${id}`],
    tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.com'],
    policyFetch: { status: 200, contentType: 'text/plain', redirected: false, certValid: true, body: policyText(spec) },
    mxProbes: probes ?? hosts.map(cleanProbe),
    ...overrides,
  };
}

export function failure(resultType: string, host: string | null, count: number): FailureDetail {
  return {
    resultType,
    sendingMtaIp: '209.85.220.41',
    sendingMtaIpParsed: '209.85.220.41',
    receivingIp: '192.0.2.10',
    receivingIpParsed: '192.0.2.10',
    receivingMxHostname: host,
    receivingMxHelo: null,
    failedSessionCount: count,
    additionalInformation: null,
    failureReasonCode: null,
  };
}

export interface ReportSpec {
  org?: string;
  /** UTC day the report covers, `YYYY-MM-DD`. */
  day: string;
  policy?: PolicySpec;
  lines?: string[];
  policyType?: string;
  domain?: string;
  success?: number;
  failed?: number;
  details?: FailureDetail[];
  countsTowardRates?: boolean;
}

export function reportPolicy(spec: ReportSpec): ReportPolicy {
  const type = spec.policyType ?? 'sts';
  return {
    policyType: type,
    policyDomain: spec.domain ?? DOMAIN,
    policyString: spec.lines ?? (type === 'sts' ? policyLines(spec.policy) : []),
    mxHost: type === 'sts' ? (spec.policy?.mx ?? MX) : [],
    totalSuccessfulSessionCount: spec.success ?? 400,
    totalFailureSessionCount: spec.failed ?? 0,
    failureDetails: spec.details ?? [],
    countsTowardRates: spec.countsTowardRates ?? true,
  };
}

export function report(spec: ReportSpec): TlsReport {
  const org = spec.org ?? 'Google Inc.';
  return {
    organizationName: org,
    dateRange: { start: at(`${spec.day}T00:00:00Z`), end: at(`${spec.day}T23:59:59Z`) },
    contactInfo: 'smtp-tls-reporting@reporter.example',
    // Distinct content gives a distinct id; an identical spec is the same report received twice (RPT-DEV-20).
    reportId: `${spec.day}_${spec.domain ?? DOMAIN}_${org}_${spec.policyType ?? 'sts'}_${spec.success ?? 400}_${spec.failed ?? 0}`,
    policies: [reportPolicy(spec)],
  };
}

/** One report per UTC day from `fromIso` (a day) for `days` days. */
export function dailyReports(fromDay: string, days: number, spec: Omit<ReportSpec, 'day'> = {}): TlsReport[] {
  return Array.from({ length: days }, (_, i) => report({ ...spec, day: plusDays(`${fromDay}T00:00:00Z`, i).toISOString().slice(0, 10) }));
}

/** Google and Microsoft both echo the policy every day. */
export function bothReporters(fromDay: string, days: number, spec: Omit<ReportSpec, 'day' | 'org'> = {}): TlsReport[] {
  return [
    ...dailyReports(fromDay, days, { ...spec, org: 'Google Inc.' }),
    ...dailyReports(fromDay, days, { ...spec, org: 'Microsoft Corporation' }),
  ];
}

/**
 * Testing policy live since 2026-01-05 (ID), both reporters clean from 2026-01-05 up to the day before
 * `now`: the baseline that is ready to enforce once `now` is 14 days or more later.
 */
export function testingInput(now: string, overrides: Partial<RolloutInput> = {}): RolloutInput {
  const days = Math.floor((at(now).getTime() - at(START).getTime()) / 86_400_000);
  return {
    now: at(now),
    domain: DOMAIN,
    published: [published(START, ID)],
    observed: observed(),
    reports: bothReporters('2026-01-05', days),
    ...overrides,
  };
}

export const ENFORCE_ID = '20260214T000000';
export const ENFORCE_START = '2026-02-14T00:00:00Z';

/** Testing from 2026-01-05, enforce (max_age 604800) from 2026-02-14, clean reports for the enforce policy. */
export function enforceInput(now: string, overrides: Partial<RolloutInput> = {}): RolloutInput {
  const days = Math.floor((at(now).getTime() - at(ENFORCE_START).getTime()) / 86_400_000);
  return {
    now: at(now),
    domain: DOMAIN,
    published: [published(START, ID), published(ENFORCE_START, ENFORCE_ID, { mode: 'enforce', maxAge: 604800 })],
    observed: observed({ id: ENFORCE_ID, mode: 'enforce', maxAge: 604800 }),
    reports: bothReporters('2026-02-14', days, { policy: { mode: 'enforce', maxAge: 604800 } }),
    ...overrides,
  };
}
