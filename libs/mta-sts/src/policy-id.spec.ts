import { describe, expect, it } from 'vitest';
import { isValidPolicyId, newPolicyId } from './policy-id.js';

const NOW = new Date('2026-11-23T09:05:07.900Z');

describe('newPolicyId', () => {
  it('STS-TXT-11: UTC YYYYMMDDHHMMSS, 14 chars', () => {
    expect(newPolicyId(NOW, [])).toBe('20261123090507');
  });

  it('STS-TXT-11: uses UTC whatever the offset the Date was built from', () => {
    expect(newPolicyId(new Date('2026-01-01T01:30:00+02:00'), [])).toBe('20251231233000');
  });

  it('STS-TXT-11: appends a suffix when the second is taken', () => {
    expect(newPolicyId(NOW, ['20261123090507'])).toBe('202611230905070');
    expect(newPolicyId(NOW, ['20261123090507', '202611230905070'])).toBe('202611230905071');
  });

  it('STS-TXT-11: never repeats a used id, compared case-insensitively, and stays valid and ≤32 chars', () => {
    const used: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = newPolicyId(NOW, used);
      expect(used.map((u) => u.toLowerCase())).not.toContain(id.toLowerCase());
      expect(isValidPolicyId(id)).toBe(true);
      expect(id.length).toBeLessThanOrEqual(32);
      used.push(i % 2 === 0 ? id.toUpperCase() : id);
    }
  });

  it('STS-TXT-11: ids minted in the same second sort in minting order', () => {
    const used: string[] = [];
    for (let i = 0; i < 100; i++) used.push(newPolicyId(NOW, used));
    expect([...used].sort()).toEqual(used);
  });

  it('STS-TXT-11: ids from later seconds sort after earlier ones', () => {
    const a = newPolicyId(NOW, []);
    const b = newPolicyId(new Date(NOW.getTime() + 1000), [a]);
    const c = newPolicyId(new Date('2027-01-01T00:00:00Z'), [a, b]);
    expect([c, a, b].sort()).toEqual([a, b, c]);
  });

  it('STS-TXT-5: a used id that is not ours (any shape) is simply avoided', () => {
    expect(newPolicyId(NOW, ['20260105T000000', 'abc'])).toBe('20261123090507');
  });

  it('throws on an invalid Date (a caller bug)', () => {
    expect(() => newPolicyId(new Date('nope'), [])).toThrow(RangeError);
  });
});

describe('isValidPolicyId', () => {
  it.each(['1', '20160831085700Z', '20260105T000000', 'a'.repeat(32)])('STS-TXT-4: %s is valid', (id) => {
    expect(isValidPolicyId(id)).toBe(true);
  });
  it.each(['', 'a'.repeat(33), '2026-01-01', '2026.01.01', 'abc_1', '12:00', 'a b', 'ü1'])('STS-TXT-4: "%s" is invalid', (id) => {
    expect(isValidPolicyId(id)).toBe(false);
  });
});
