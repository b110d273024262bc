/** Certificates of MX hosts and of mta-sts.<domain> with fewer days left than this raise an alert. */
export const CERT_ALERT_DAYS = 14;

/**
 * Day-over-day failure-rate jump: the latest complete day's failure rate is at least this many percentage points above
 * the previous day's AND at least twice it, over at least JUMP_MIN_SESSIONS sessions (small samples swing wildly).
 */
export const JUMP_MIN_POINTS = 5;
export const JUMP_MIN_FACTOR = 2;
export const JUMP_MIN_SESSIONS = 20;

/** Result types (RFC 8460 §4.3) that say a sender could not fetch or use the policy. */
export const POLICY_FETCH_RESULT_TYPES = ['sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid'] as const;
