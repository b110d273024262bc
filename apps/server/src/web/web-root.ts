import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * dist/web, wherever this file runs from: dist/apps/server/src/web (built) or apps/server/src/web (tests
 * run the sources). Null when the dashboard was not built: the API still works, `/` then answers 404.
 */
export function findWebRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../../web'), resolve(here, '../../../../dist/web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
