import type { WarningLog } from './report-warnings.js';
import { SESSION_COUNT_CEILING } from './session-count.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only, so a key such as `constructor` never reads from the prototype. */
export function field(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

const QUOTE_MAX = 80;

/** JSON-quoted text, shortened so that a hostile value cannot bloat a message. */
export function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * The path of `key` in the object at `parent` ('' for the report itself). Built only when a warning or error needs
 * it: a 5,000-row report has ~40,000 field reads and rarely a warning.
 */
export function fieldPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Flags every key that is not in `known` (RPT-DEV-16). The raw JSON, kept by the caller, still holds them. */
export function flagUnknownKeys(obj: JsonObject, known: readonly string[], path: string, log: WarningLog): void {
  for (const key in obj) {
    if (!Object.hasOwn(obj, key) || known.includes(key)) continue;
    log.add('UNKNOWN_KEY', `Unknown key ${quote(key)} was ignored.`, fieldPath(path, key));
  }
}

/**
 * Optional free-text field: absent, null or "" give null. A number or boolean is kept as its text
 * (flagged); an object or array is dropped (flagged). `parent` is the path of `obj` (see `fieldPath`).
 */
export function optionalText(obj: JsonObject, key: string, parent: string, log: WarningLog): string | null {
  const value = field(obj, key);
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  log.add('FIELD_NOT_STRING', `${key} should be a string but is ${describeJsonType(value)}.`, fieldPath(parent, key));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

export type CountRead = { kind: 'ok'; value: number } | { kind: 'missing' } | { kind: 'bad'; reason: string };

/**
 * Session counts must be JSON numbers that are non-negative safe integers. We are strict: a numeric
 * string such as "5" is rejected (BAD_COUNT) rather than guessed at, since no known sender does it and a
 * wrong count could make a domain look ready. Absent or null is "missing" and left to the caller. `parent` is the
 * path of `obj` (see `fieldPath`).
 */
export function readCount(obj: JsonObject, key: string, parent: string): CountRead {
  const value = field(obj, key);
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value !== 'number') {
    return { kind: 'bad', reason: `${fieldPath(parent, key)} must be a JSON number, got ${describeJsonType(value)}` };
  }
  if (!Number.isInteger(value) || value < 0 || value > SESSION_COUNT_CEILING) {
    return { kind: 'bad', reason: `${fieldPath(parent, key)} must be a non-negative integer up to ${SESSION_COUNT_CEILING}, got ${value}` };
  }
  return { kind: 'ok', value: value === 0 ? 0 : value }; // no -0
}
