import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFixtures } from '../../../test/fixtures/mail/make-fixtures.mjs';

const fixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/mail');

describe('test/fixtures/mail', () => {
  const built = buildFixtures();

  it('every committed .eml is byte-for-byte what make-fixtures.mjs generates (rerun it after editing)', () => {
    const committed = readdirSync(fixtureDir).filter((f) => f.endsWith('.eml')).sort();
    expect(committed).toEqual(Object.keys(built).sort());
    for (const name of committed) expect(readFileSync(resolve(fixtureDir, name)).equals(built[name]), name).toBe(true);
  });
});
