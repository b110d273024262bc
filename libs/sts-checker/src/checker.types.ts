// Result model of a live check. `Observed` mirrors a rollout scenario's `observed` field
// (../shared/scenarios/FORMAT.md) so the rollout engine can consume a live check directly.
import type { Finding } from '@app/mta-sts';
import type { Observed } from '@app/rollout';

// One definition of the scenario `observed` shape: the rollout engine's, which consumes it.
// starttls null: the probe could not finish (refused, timeout, 4xx greeting, address not contacted).
export type { MxProbe as ObservedMxProbe, Observed, PolicyFetch as ObservedPolicyFetch } from '@app/rollout';

export interface CertificateInfo {
  subjectCn: string | null;
  /** DNS names from the subjectAltName (or the CN when there is no SAN). */
  names: string[];
  issuerCn: string | null;
  validFrom: string | null;
  notAfter: string | null;
  /** Chain verified against the system roots plus `caCerts`. */
  chainValid: boolean;
  chainError: string | null;
  /** `tls.checkServerIdentity` accepted the expected host name. */
  nameMatches: boolean;
  nameError: string | null;
}

export interface TxtLookup {
  name: string;
  records: string[];
  /** Lowest TTL of the TXT answer (and any CNAME leading to it), seconds; null when unknown (STS-FET-11). */
  ttl: number | null;
  /** DNS error code (ENODATA, ENOTFOUND, ETIMEOUT, ...) or null. */
  error: string | null;
  elapsedMs: number;
}

export interface AddressLookup {
  name: string;
  addresses: Array<{ address: string; family: 4 | 6; ttl: number }>;
  error: string | null;
  elapsedMs: number;
}

export interface MxLookup {
  records: Array<{ exchange: string; priority: number }>;
  error: string | null;
  elapsedMs: number;
}

export interface PolicyFetchDetail {
  url: string;
  /** The address that was connected to, or null when none was. */
  address: string | null;
  /** Addresses from DNS that were not contacted because they are not public. */
  skippedAddresses: string[];
  status: number | null;
  contentType: string | null;
  /** `Location` of a 3xx answer; never followed. */
  location: string | null;
  tlsVersion: string | null;
  cert: CertificateInfo | null;
  body: string | null;
  bodyBytes: number;
  /** Stable code of why the fetch did not complete (see `FetchErrorCode`), or null. */
  errorCode: FetchErrorCode | null;
  error: string | null;
  elapsedMs: number;
}

export type FetchErrorCode =
  | 'HOST_NOT_FOUND'
  | 'ADDRESS_NOT_PUBLIC'
  | 'CONNECT_FAILED'
  | 'TLS_FAILED'
  | 'TIMEOUT'
  | 'BODY_TOO_LARGE'
  | 'HTTP_ERROR';

export interface MxProbeDetail {
  host: string;
  priority: number;
  address: string | null;
  /** Addresses from DNS that were not contacted because they are not public. */
  skippedAddresses: string[];
  banner: string | null;
  starttlsOffered: boolean | null;
  tlsVersion: string | null;
  cert: CertificateInfo | null;
  /** Stable reason code of an unfinished or failed probe, or null. */
  errorCode: ProbeErrorCode | null;
  error: string | null;
  elapsedMs: number;
}

export type ProbeErrorCode =
  | 'NOT_PROBED'
  | 'ADDRESS_NOT_PUBLIC'
  | 'HOST_NOT_FOUND'
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'TEMPORARY_REPLY'
  | 'REJECTED'
  | 'NO_STARTTLS'
  | 'TLS_FAILED'
  | 'CERT_INVALID';

export interface CheckDetails {
  mtaStsTxt: TxtLookup;
  tlsrptTxt: TxtLookup;
  mx: MxLookup;
  policyHost: AddressLookup;
  policyFetch: PolicyFetchDetail;
  mxProbes: MxProbeDetail[];
}

export interface CheckResult {
  domain: string;
  /** RFC 3339 time the check started. */
  checkedAt: string;
  elapsedMs: number;
  observed: Observed;
  findings: Finding[];
  details: CheckDetails;
}

export interface PreviousPolicy {
  /** TXT id under which `policyBody` was last fetched. */
  id: string;
  policyBody: string;
}

export interface CheckerOptions {
  /** DNS servers as `host` or `host:port`; default: the system resolvers. */
  dnsServers?: string[];
  /** Extra trusted CA certificates (PEM), added to the system roots. */
  caCerts?: string[];
  httpsPort?: number;
  smtpPort?: number;
  /** Allow contacting loopback/private/link-local addresses (tests only). */
  allowPrivateAddresses?: boolean;
  /** Per DNS query; default 5 000 ms. */
  dnsTimeoutMs?: number;
  /** Policy fetch limit; default 60 000 ms (STS-POL-17). */
  httpsTimeoutMs?: number;
  /** Per MX probe; default 30 000 ms. */
  smtpTimeoutMs?: number;
  /** Name sent in EHLO; default `sts-pilot.invalid`. */
  ehloName?: string;
  /** The last policy fetched for this domain, for the id-bump check (CHK-1). */
  previous?: PreviousPolicy;
  /** Clock for certificate expiry and `checkedAt`; default `new Date()`. */
  now?: () => Date;
}
