import { describe, expect, it } from 'vitest';
import { jsonBytesArePgSafe, markPgSafe, pgSafeStrings, pgSafeText } from './pg-safe-text.js';

describe('pgSafeText / pgSafeStrings', () => {
  it('issue 9: NUL and unpaired surrogates become U+FFFD; paired surrogates stay', () => {
    expect(pgSafeText('a\u0000b')).toBe('a\ufffdb');
    expect(pgSafeText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(pgSafeText('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(pgSafeText('mail \ud83d\udce7 ok')).toBe('mail \ud83d\udce7 ok');
  });

  it('walks plain objects and arrays (keys too) and keeps Dates and Buffers as they are', () => {
    const date = new Date('2024-01-01T00:00:00Z');
    const raw = Buffer.from([0, 1, 2]);
    const out = pgSafeStrings({ raw, date, n: 5, list: ['a\u0000', null], nested: { 'k\u0000': 'v\ud800' } });
    expect(out).toEqual({ raw, date, n: 5, list: ['a\ufffd', null], nested: { 'k\ufffd': 'v\ufffd' } });
    expect(out.raw).toBe(raw);
    expect(out.date).toBe(date);
  });

  it('copies nothing when nothing needs cleaning', () => {
    const clean = { a: ['x', { b: 'y' }], n: 1 };
    expect(pgSafeStrings(clean)).toBe(clean);
    const dirty = { keep: { b: 'y' }, fix: ['ok', 'a\u0000'] };
    const out = pgSafeStrings(dirty);
    expect(out).not.toBe(dirty);
    expect(out.keep).toBe(dirty.keep);
    expect(out.fix).toEqual(['ok', 'a\ufffd']);
    expect(Object.keys(pgSafeStrings({ a: 1, b: 'x\u0000', c: 2 }))).toEqual(['a', 'b', 'c']);
  });

  it('a JSON text without any \\u escape or NUL/surrogate is safe once parsed; one with such an escape is not (its UTF-8 bytes, at any offset of their buffer)', () => {
    const safe = (text: string) => jsonBytesArePgSafe(new TextEncoder().encode(`padding${text}`).subarray(7));
    expect(safe('{"a":"mx1.example.com","b":[1,2]}')).toBe(true);
    expect(safe('{"a":"x\\u0000y"}')).toBe(false);
    expect(safe('{"a":"\\ud800"}')).toBe(false);
    expect(safe('{"a":"\\u00e9"}')).toBe(false); // harmless, but any escape means the strings get checked
    expect(safe('{"a":"mail \ud83d\udce7"}')).toBe(false);
    expect(safe('{"a":"\u0000"}')).toBe(false);
    expect(safe('{"a":"Größe é"}')).toBe(true); // two-byte sequences hold no surrogate
    for (const text of ['{"a":"x\\u0000y"}', '{"a":"\\ud800"}']) expect(JSON.stringify(pgSafeStrings(JSON.parse(text)))).toContain('\ufffd');
  });

  it('an object marked safe is returned without being walked; the objects around it still are', () => {
    const marked = markPgSafe({ text: 'left\u0000alone' });
    const out = pgSafeStrings({ marked, other: 'a\u0000b' });
    expect(out.marked).toBe(marked);
    expect(out.other).toBe('a\ufffdb');
  });
});
