import type { DecodeResult } from '../decode-payload.js';

/** A decode result with each report as its text, for comparing against expected JSON strings in tests. */
export function withTexts(result: DecodeResult) {
  return result.ok ? { ...result, jsons: result.jsons.map((json) => json.text) } : result;
}
