/** Cheap first test: most strings hold neither NUL nor any surrogate, and are returned as they are. */
const MAYBE_UNSAFE = /[\u0000\ud800-\udfff]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000 or unpaired UTF-16 surrogates (both are valid in JSON via `\u`
 * escapes). Left alone, one such character in a report made every insert fail and the sender got 451 forever.
 * Each is replaced by U+FFFD; the original bytes stay untouched in `raw_message.bytes`.
 */
export function pgSafeText(s: string): string {
  if (!MAYBE_UNSAFE.test(s)) return s;
  return s.replace(UNPAIRED_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
}

const KNOWN_SAFE = new WeakSet<object>();

const ESCAPE_U = Buffer.from('\\u');

/**
 * True when every string `JSON.parse` makes of this JSON (valid UTF-8 bytes) is safe as it is: no `\u` escape at all
 * (the only way JSON spells U+0000 or a lone surrogate), no NUL byte, and no 4-byte sequence (lead bytes 0xF0-0xF4:
 * characters a JavaScript string holds as surrogate pairs, which `pgSafeText` would look at). Most reports qualify.
 */
export function jsonBytesArePgSafe(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.indexOf(ESCAPE_U) !== -1 || b.indexOf(0) !== -1) return false;
  for (let lead = 0xf0; lead <= 0xf4; lead++) if (b.indexOf(lead) !== -1) return false;
  return true;
}

/** Marks an object built from `jsonBytesArePgSafe` JSON: `pgSafeStrings` returns it without walking it. */
export function markPgSafe<T extends object>(value: T): T {
  KNOWN_SAFE.add(value);
  return value;
}

/**
 * Applies `pgSafeText` to every string in plain objects and arrays; Dates, Buffers and other instances are kept.
 * Copy-on-write: an object or array is copied only when something inside it changes, so a clean 100,000-row
 * report is not duplicated in memory on its way to the database.
 */
export function pgSafeStrings<T>(value: T): T {
  if (typeof value === 'string') return pgSafeText(value) as T;
  if (value !== null && typeof value === 'object' && KNOWN_SAFE.has(value)) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = pgSafeStrings(value[i]);
      if (v !== value[i] && out === null) out = value.slice(0, i);
      if (out !== null) out.push(v);
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const ck = pgSafeText(k);
      const cv = pgSafeStrings(obj[k]);
      if (out === null && (ck !== k || cv !== obj[k])) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = obj[keys[j]];
      }
      if (out !== null) out[ck] = cv;
    }
    return (out ?? value) as T;
  }
  return value;
}
