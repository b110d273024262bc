import { readFileSync } from 'node:fs';
import type { AppConfig } from '@app/config';
import { resolveRolloutSettings, type RolloutSettings } from '@app/rollout';
import type { CheckerOptions } from '@app/sts-checker';

/** Checker options from the CHECK_* settings; the CA bundle is read once at start-up. */
export function checkerOptionsFrom(config: AppConfig): CheckerOptions {
  const c = config.check;
  const timeouts = c.timeoutMs === null ? {} : { dnsTimeoutMs: c.timeoutMs, httpsTimeoutMs: c.timeoutMs, smtpTimeoutMs: c.timeoutMs };
  return {
    ...(c.dnsServers.length > 0 ? { dnsServers: c.dnsServers } : {}),
    ...(c.caFile !== null ? { caCerts: [readFileSync(c.caFile, 'utf8')] } : {}),
    httpsPort: c.httpsPort,
    smtpPort: c.smtpPort,
    allowPrivateAddresses: c.allowPrivateAddresses,
    ...timeouts,
  };
}

/** Rollout thresholds at their defaults, with the transition deadline and report address from the settings. */
export function rolloutSettingsFrom(config: AppConfig): RolloutSettings {
  return resolveRolloutSettings({ pendingDeadlineHours: config.rollout.transitionDeadlineHours, reportAddress: config.rollout.reportAddress });
}
