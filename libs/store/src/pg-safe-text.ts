const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000 or unpaired UTF-16 surrogates (both are valid in JSON via `\u`
 * escapes). Left alone, one such character in a report made every insert fail and the sender got 451 forever.
 * Each is replaced by U+FFFD; the original bytes stay untouched in `raw_message.bytes`.
 */
export function pgSafeText(s: string): string {
  return s.replace(UNPAIRED_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
}

/** Applies `pgSafeText` to every string in plain objects and arrays; Dates, Buffers and other instances are kept. */
export function pgSafeStrings<T>(value: T): T {
  if (typeof value === 'string') return pgSafeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => pgSafeStrings(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgSafeText(k), pgSafeStrings(v)])) as T;
  }
  return value;
}
