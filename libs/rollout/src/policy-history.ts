import { readPolicyBody, readStsTxtId, samePolicy, type StsPolicy } from './sts-records.js';
import { addSeconds, HOUR_MS, rfc3339 } from './rollout-time.js';
import type { Blocker, PublishedEntry } from './rollout.types.js';

/** One step of the observation log; id or policy is null when that record did not parse. */
export interface HistoryEntry {
  at: Date;
  id: string | null;
  policy: StsPolicy | null;
}

export interface CurrentPolicy {
  id: string | null;
  policy: StsPolicy | null;
  /** Timers run from here: the first time the current id was seen live, or `now` when it never was. */
  firstSeen: Date;
}

export function readPublished(published: PublishedEntry[]): HistoryEntry[] {
  return published
    .map((entry) => ({ at: entry.at, id: readStsTxtId([entry.txt]).value, policy: readPolicyBody(entry.policy).value }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * What is live now: the observed TXT id and served policy, each falling back to the last logged entry
 * when the live check could not read it. A live pair that differs from the log's last entry is
 * appended to the history as seen at `now` (a domain first registered with MTA-STS already live starts
 * its history that way).
 */
export function resolveCurrent(
  logged: HistoryEntry[],
  liveId: string | null,
  livePolicy: StsPolicy | null,
  now: Date,
): { history: HistoryEntry[]; current: CurrentPolicy } {
  const last = logged.at(-1);
  const id = liveId ?? last?.id ?? null;
  const policy = livePolicy ?? last?.policy ?? null;
  const history = [...logged];
  const liveDiffers =
    last === undefined || last.id !== liveId || last.policy === null || (livePolicy !== null && !samePolicy(last.policy, livePolicy));
  if (liveId !== null && livePolicy !== null && liveDiffers) history.push({ at: now, id: liveId, policy: livePolicy });

  let firstSeen = now;
  for (let i = history.length - 1; i >= 0 && id !== null && history[i].id === id; i--) firstSeen = history[i].at;
  return { history, current: { id, policy, firstSeen } };
}

/**
 * POLICY_ID_NOT_BUMPED (STS-FET-2, CHK-1): bodies that differ under the current id. A change younger
 * than the pending deadline is a transition in progress (ROLL-2: body first, then the id) and is not
 * reported yet.
 */
export function checkIdBumped(history: HistoryEntry[], currentId: string | null, now: Date, pendingDeadlineHours: number): Blocker | null {
  if (currentId === null) return null;
  const sameId = history.filter((e) => e.id === currentId && e.policy !== null);
  const changes: { at: Date; before: StsPolicy; after: StsPolicy }[] = [];
  for (let i = 1; i < sameId.length; i++) {
    const before = sameId[i - 1].policy as StsPolicy;
    const after = sameId[i].policy as StsPolicy;
    if (!samePolicy(before, after)) changes.push({ at: sameId[i].at, before, after });
  }
  const deadline = now.getTime() - pendingDeadlineHours * HOUR_MS;
  const overdue = changes.filter((c) => c.at.getTime() <= deadline);
  if (overdue.length === 0) return null;
  const latest = changes[changes.length - 1];
  const dates = overdue.map((c) => rfc3339(c.at));
  return {
    code: 'POLICY_ID_NOT_BUMPED',
    message:
      `The policy body changed on ${dates.join(', ')} while the _mta-sts TXT id stayed ${currentId}; ` +
      'senders that cached the earlier body do not refetch it until their cached max_age runs out.',
    evidence: {
      id: currentId,
      changedAt: dates,
      previousMx: latest.before.mx,
      currentMx: latest.after.mx,
      previousMode: latest.before.mode,
      currentMode: latest.after.mode,
    },
  };
}

/**
 * ROLL-14: the latest (last time live + max_age) over every policy ever seen. An entry counts as live
 * until the next entry replaced it, the last one until `now`. A cached `mode: none` policy changes no
 * delivery, so it only counts from when it was first seen (it must have had one max_age to replace
 * the older caches); otherwise the live `none` policy would push the time forward forever.
 */
export function removalTime(history: HistoryEntry[], now: Date): Date {
  let latest: Date | null = null;
  history.forEach((entry, i) => {
    if (entry.policy === null) return;
    const liveUntil = entry.policy.mode === 'none' ? entry.at : (history[i + 1]?.at ?? now);
    const expires = addSeconds(liveUntil, entry.policy.maxAge);
    if (latest === null || expires.getTime() > latest.getTime()) latest = expires;
  });
  return latest ?? now;
}
