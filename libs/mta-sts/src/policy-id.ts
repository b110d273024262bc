// Policy ids (STS-TXT-4, STS-TXT-5, STS-TXT-11).

const ID_RE = /^[A-Za-z0-9]{1,32}$/;
const ID_MAX = 32;
// Suffix characters in ASCII order, so ids minted in the same second sort in minting order.
// 'z' is kept as the "continue" digit: 0..y, z0..zy, zz0.. stays lexicographically increasing.
const SUFFIX_CHARS = '0123456789abcdefghijklmnopqrstuvwxy';

export function isValidPolicyId(id: string): boolean {
  return ID_RE.test(id);
}

/** UTC `YYYYMMDDHHMMSS` of `now`. */
export function policyIdBase(now: Date): string {
  const t = now.getTime();
  if (!Number.isFinite(t)) throw new RangeError('newPolicyId needs a valid Date');
  return now.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * STS-TXT-11: UTC `YYYYMMDDHHMMSS`; when that id is taken, a suffix is appended.
 * Used ids are compared case-insensitively so an id never differs from an old one only by case.
 */
export function newPolicyId(now: Date, usedIds: Iterable<string>): string {
  const base = policyIdBase(now);
  const used = new Set<string>();
  for (const id of usedIds) used.add(id.toLowerCase());
  if (!used.has(base)) return base;
  for (let prefix = ''; base.length + prefix.length + 1 <= ID_MAX; prefix += 'z') {
    for (const c of SUFFIX_CHARS) {
      const candidate = base + prefix + c;
      if (!used.has(candidate)) return candidate;
    }
  }
  // 35 * 18 ids in one second: only reachable by a bug in the caller.
  throw new RangeError(`No free policy id left for ${base}`);
}
