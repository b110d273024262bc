import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDatabase, type DatabaseHandle } from '../libs/store/src/embedded-postgres.js';
import { freePort } from './support/free-port.js';

async function clientAddress(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('SELECT inet_client_addr()::text AS a')).rows[0].a;
  } finally {
    await c.end();
  }
}

// Our own processes reach the embedded cluster through its Unix socket (cheaper per byte than loopback TCP); the
// cluster still listens on 127.0.0.1 for other clients.
describe('embedded PostgreSQL connection', () => {
  const dirs: string[] = [];
  const handles: DatabaseHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function dataDir(nameLength: number): Promise<string> {
    await mkdir(join(process.cwd(), 'data'), { recursive: true });
    const base = await mkdtemp(join(process.cwd(), 'data', 'socket-pg-'));
    await chmod(base, 0o755); // initdb runs as the unprivileged postgres user when the tests run as root
    dirs.push(base);
    return nameLength ? join(base, 'd'.repeat(nameLength)) : base;
  }

  it('gives a URL through the socket in the data directory, and the same one to a second process', async () => {
    const dir = await dataDir(0);
    const port = await freePort();
    const handle = await resolveDatabase({ url: null, dataDir: dir, embeddedPort: port });
    handles.push(handle);
    expect(new URL(handle.url).searchParams.get('host')).toBe(join(dir, 'pg'));
    expect(await clientAddress(handle.url)).toBeNull();
    expect(await clientAddress(`postgres://postgres:${new URL(handle.url).password}@127.0.0.1:${port}/sts_pilot`)).toBe('127.0.0.1/32');
    const again = await resolveDatabase({ url: null, dataDir: dir, embeddedPort: port });
    expect(again.url).toBe(handle.url);
    expect(again.description).toMatch(/already running/);
  });

  it('keeps TCP when the socket path would not fit in sun_path', async () => {
    const dir = await dataDir(120);
    const handle = await resolveDatabase({ url: null, dataDir: dir, embeddedPort: await freePort() });
    handles.push(handle);
    expect(new URL(handle.url).searchParams.has('host')).toBe(false);
    expect(await clientAddress(handle.url)).toBe('127.0.0.1/32');
  });
});
