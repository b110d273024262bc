import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter } from './connection-rate.js';

describe('ConnectionRateLimiter (SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP)', () => {
  it('admits the limit within a minute and refuses the next ones (refused attempts keep the address blocked)', () => {
    const r = new ConnectionRateLimiter(3);
    expect([0, 1, 2].map((t) => r.admit('192.0.2.1', t))).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(r.admit('192.0.2.1', 3)).toEqual({ ok: false, attempts: 4 });
    // A flood is remembered as "over the limit" (max+1 times kept), not as a growing list.
    for (let t = 4; t < 10_000; t++) expect(r.admit('192.0.2.1', t).ok).toBe(false);
    expect(r.admit('192.0.2.1', 59_999)).toEqual({ ok: false, attempts: 4 });
    // 60 s after the last attempt the address may connect again.
    expect(r.admit('192.0.2.1', 59_999 + 60_000)).toEqual({ ok: true });
  });

  it('counts each client address on its own', () => {
    const r = new ConnectionRateLimiter(1);
    expect(r.admit('192.0.2.1', 0)).toEqual({ ok: true });
    expect(r.admit('2001:db8::1', 0)).toEqual({ ok: true });
    expect(r.admit('192.0.2.1', 1)).toEqual({ ok: false, attempts: 2 });
  });

  it('a sliding window: attempts older than 60 s no longer count', () => {
    const r = new ConnectionRateLimiter(2);
    r.admit('192.0.2.1', 0);
    r.admit('192.0.2.1', 30_000);
    expect(r.admit('192.0.2.1', 59_999)).toEqual({ ok: false, attempts: 3 });
    expect(r.admit('192.0.2.1', 90_001)).toEqual({ ok: true });
  });
});
