import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter } from './connection-rate.js';

describe('ConnectionRateLimiter (SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP)', () => {
  it('admits the limit within a minute, refuses the next one and counts refused attempts', () => {
    const r = new ConnectionRateLimiter(3);
    expect([0, 1, 2].map((t) => r.admit('192.0.2.1', t))).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(r.admit('192.0.2.1', 3)).toEqual({ ok: false, attempts: 4 });
    expect(r.admit('192.0.2.1', 4)).toEqual({ ok: false, attempts: 5 });
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
