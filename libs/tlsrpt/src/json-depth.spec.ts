import { describe, expect, it } from 'vitest';
import { jsonNestingExceeds } from './json-depth.js';

describe('jsonNestingExceeds (RPT-JSON limits: depth checked before JSON.parse)', () => {
  it('counts nesting of arrays and objects', () => {
    expect(jsonNestingExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonNestingExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonNestingExceeds('['.repeat(65) + ']'.repeat(65), 64)).toBe(true);
  });

  it('ignores brackets inside strings, however the quotes around them are escaped', () => {
    expect(jsonNestingExceeds(JSON.stringify({ a: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ a: 'say \\"[[[[\\"' }), 1)).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ a: 'ends in a backslash \\', b: '[[[[' }), 1)).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ a: 'x\\\\', b: [[[1]]] }), 3)).toBe(true);
    expect(jsonNestingExceeds(JSON.stringify({ '[[[': '"]]]"' }), 1)).toBe(false);
  });

  it('gives the same answer as a character-by-character scan on every prefix of a report with escapes', () => {
    const text = JSON.stringify({ p: [{ s: 'a\\"b[', t: ['\\', '"', '{', [1, { u: '}\\\\' }]] }] });
    for (let cut = 0; cut <= text.length; cut++) {
      const prefix = text.slice(0, cut);
      for (const max of [1, 2, 3, 4]) expect(jsonNestingExceeds(prefix, max), `${prefix} / ${max}`).toBe(slowScan(prefix, max));
    }
  });
});

function slowScan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > maxDepth) return true;
    } else if (c === '}' || c === ']') depth--;
  }
  return false;
}
