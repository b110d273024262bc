export { ALERT_KINDS, type AlertCandidate, type AlertKind, type AlertRules, type CertificateSeen, type DayTotals, type DomainSnapshot, type FailureClass } from './alert.types.js';
export { alertJsonBody, alertMailSubject, alertText } from './alert-bodies.js';
export { dashboardLink } from './dashboard-link.js';
export { detectAlerts } from './detect-alerts.js';
export { buildDigest, digestText, type Digest, type DigestInput } from './digest.js';
export { isSuppressed, suppressionKey } from './suppression.js';
export { CERT_ALERT_DAYS, JUMP_MIN_FACTOR, JUMP_MIN_POINTS, JUMP_MIN_SESSIONS, POLICY_FETCH_RESULT_TYPES } from './thresholds.js';
export { parseWebhookTargets, type TargetsResult, type WebhookFormat, type WebhookTarget } from './webhook-targets.js';
