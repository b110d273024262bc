// `sts-pilot domain add` and `sts-pilot advise <domain>` through the built CLI (run `npm run build` first),
// against the same database and loopback deployment as a running server.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DOMAIN = 'cli.watched.test';
const MX1 = 'mx1.cli.watched.test';

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('sts-pilot domain / advise <domain>', () => {
  let dep: LoopbackDeployment;
  let app: TestApp;
  // Asynchronous on purpose: the DNS, SMTP and HTTPS fixtures answer from this process while the CLI checks.
  const cli = (...args: string[]) =>
    new Promise<CliRun>((resolve) => {
      const env = { ...process.env, ...dep.env, DATABASE_URL: app.db.url, DATA_DIR: app.dataDir, SMTP_RECIPIENT_DOMAINS: 'reports.test', LOG_LEVEL: 'silent' };
      const child = spawn('node', ['bin/sts-pilot.js', ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    app = await bootTestApp(dep.env);
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
  });

  it('domain add normalizes the name, is safe to rerun, and refuses an IP address (exit 2)', async () => {
    expect(await cli('domain', 'add', 'CLI.Watched.TEST.')).toMatchObject({ status: 0, stdout: `Now watching ${DOMAIN}.\n` });
    expect(await cli('domain', 'add', DOMAIN)).toMatchObject({ status: 0, stdout: `${DOMAIN} was already watched.\n` });
    const bad = await cli('domain', 'add', '192.0.2.1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is an IP address');
    expect((await app.json('/api/domains')).items.map((d: { domain: string }) => d.domain)).toEqual([DOMAIN]);
  });

  it('advise <domain> runs and stores a live check, then prints the advice for a person', async () => {
    const run = await cli('advise', DOMAIN);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Domain:  ${DOMAIN}\nState:   none\nVerdict: start-testing`);
    expect(run.stdout).toContain(`mx: ${MX1}`);
    expect(run.stdout).toMatch(/TXT _mta-sts\.cli\.watched\.test: v=STSv1; id=\d{14}/);
    expect(run.stdout).toContain('Evidence: 0 of 0 stored report(s) for this domain count as evidence.');
    const checks = await app.json(`/api/domains/${DOMAIN}/checks`);
    expect(checks.items).toHaveLength(1);
    expect(checks.items[0].observed.mx).toEqual([MX1]);
  });

  it('advise <domain> --json prints one JSON object; --no-check reuses the stored check and the same proposal id', async () => {
    const fresh = await cli('advise', DOMAIN, '--json');
    expect(fresh.status).toBe(0);
    const a = JSON.parse(fresh.stdout);
    expect(a.advice).toMatchObject({ state: 'none', verdict: 'start-testing', proposed: { mode: 'testing', mx: [MX1], maxAge: 86400 } });
    const stored = await cli('advise', DOMAIN, '--json', '--no-check');
    const b = JSON.parse(stored.stdout);
    expect(b.basedOn).toEqual(a.basedOn);
    expect(b.advice.proposed.id).toBe(a.advice.proposed.id);
    expect((await app.json(`/api/domains/${DOMAIN}/checks`)).items).toHaveLength(2);
  });

  it('advise of a domain that is not watched exits 2 with the command that fixes it', async () => {
    const run = await cli('advise', 'other.test');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('sts-pilot domain add other.test');
  });

  it('a domain and --scenario together are refused (exit 2)', async () => {
    const run = await cli('advise', DOMAIN, '--scenario', 'x.json');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('not both');
  });

  it('domain remove drops it', async () => {
    expect(await cli('domain', 'remove', DOMAIN)).toMatchObject({ status: 0, stdout: `No longer watching ${DOMAIN}.\n` });
    expect((await cli('domain', 'remove', DOMAIN)).status).toBe(1);
  });
});
