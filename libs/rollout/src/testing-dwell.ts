import type { RolloutSettings } from './rollout-settings.js';
import { DAY_SECONDS, formatDays, rfc3339 } from './rollout-time.js';
import type { Blocker } from './rollout.types.js';
import type { StsPolicy } from './sts-records.js';

/** ROLL-5: the current id must be live for max(minTestingDays, its max_age) before enforce. */
export function checkTestingDwell(
  id: string | null,
  policy: StsPolicy,
  firstSeen: Date,
  now: Date,
  settings: RolloutSettings,
): Blocker | null {
  const requiredSeconds = Math.max(settings.minTestingDays * DAY_SECONDS, policy.maxAge);
  const elapsedSeconds = Math.max(0, (now.getTime() - firstSeen.getTime()) / 1000);
  if (elapsedSeconds >= requiredSeconds) return null;
  const elapsedDays = elapsedSeconds / DAY_SECONDS;
  const requiredDays = requiredSeconds / DAY_SECONDS;
  const byMaxAge = policy.maxAge > settings.minTestingDays * DAY_SECONDS;
  return {
    code: 'TESTING_TOO_SHORT',
    message:
      `The current policy${id === null ? '' : ` id ${id}`} has been in testing for ${formatDays(elapsedDays)} of ` +
      `${formatDays(requiredDays)} days (since ${rfc3339(firstSeen)})` +
      (byMaxAge ? `; its max_age of ${policy.maxAge} s is longer than ${settings.minTestingDays} days, so the dwell is that long.` : '.'),
    evidence: {
      id,
      since: rfc3339(firstSeen),
      elapsedDays: Number(elapsedDays.toFixed(4)),
      requiredDays,
      maxAge: policy.maxAge,
      minTestingDays: settings.minTestingDays,
    },
  };
}
