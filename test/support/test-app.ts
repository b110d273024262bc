import { loadConfig } from '@app/config';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, CLOCK } from '../../apps/server/src/clock/clock.js';
import { createLogger } from '../../apps/server/src/logging/logger.js';
import { startServer, type RunningServer } from '../../apps/server/src/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const REPORT_DOMAIN = 'reports.test';
export const RUA = `tlsrpt@${REPORT_DOMAIN}`;

/** The internet does not exist here: DKIM key lookups fail at once, as a DNS server answering NXDOMAIN would. */
export const offlineResolver = async (name: string) => {
  const err = new Error(`queryTxt ENOTFOUND ${name}`) as Error & { code: string };
  err.code = 'ENOTFOUND';
  throw err;
};

export interface TestApp {
  server: RunningServer;
  db: TestDatabase;
  baseUrl: string;
  smtpPort: number;
  adminToken: string;
  dataDir: string;
  close(): Promise<void>;
  api(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** GET (or `init`) and parse the JSON body; throws on a non-2xx status. */
  json(path: string, init?: RequestInit & { token?: string | null }): Promise<any>;
}

/** Boots the real server (migrations, HTTP, SMTP) on ephemeral loopback ports against a fresh database. */
export async function bootTestApp(
  env: Record<string, string> = {},
  opts: {
    dkimResolver?: (name: string, rrtype: string) => Promise<unknown>;
    db?: TestDatabase;
    dataDir?: string;
    /** Time source of the service clock (advice, checks, transitions, fetch log); default the wall clock. */
    clock?: () => Date;
  } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'sts-pilot-test-')));
  const loaded = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    SMTP_HOSTNAME: 'mx.reports.test',
    SMTP_RECIPIENT_DOMAINS: REPORT_DOMAIN,
    LOG_LEVEL: 'silent',
    // Scheduled jobs (retention!) would act on test data behind the tests' backs; tests tick the scheduler themselves.
    SCHEDULER_ENABLED: 'false',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.error);
  const server = await startServer({
    config: loaded.config,
    databaseUrl: db.url,
    logger: createLogger(loaded.config.logLevel),
    dkimResolver: opts.dkimResolver ?? offlineResolver,
  });
  if (opts.clock) server.app.get<Clock>(CLOCK).useSource(opts.clock);
  const baseUrl = `http://127.0.0.1:${server.http.port}`;
  const adminToken = server.initialAdminToken ?? '';
  const api: TestApp['api'] = (path, init = {}) => {
    const token = init.token === undefined ? adminToken : init.token;
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(baseUrl + path, { ...init, headers });
  };
  return {
    server,
    db,
    baseUrl,
    smtpPort: server.smtp.port,
    adminToken,
    dataDir,
    api,
    json: async (path, init) => {
      const res = await api(path, init);
      if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    close: async () => {
      await server.close();
      if (!opts.db) await db.drop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
