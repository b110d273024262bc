export { checkDomain } from './check-domain.js';
export { crossCheck } from './cross-checks.js';
export { DEFAULT_DNS_TIMEOUT_MS } from './dns-lookup.js';
export { DEFAULT_HTTPS_TIMEOUT_MS, POLICY_BODY_CAP } from './policy-fetcher.js';
export { DEFAULT_EHLO_NAME, DEFAULT_SMTP_TIMEOUT_MS } from './mx-prober.js';
export { CERT_MIN_DAYS_LEFT } from './finding.js';
export type * from './checker.types.js';
