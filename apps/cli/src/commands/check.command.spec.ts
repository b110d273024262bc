import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCa, startFixtureDeployment, type FixtureDeployment, type TestCa } from '../../../../libs/sts-checker/src/testing/index.js';
import { CliError } from '../cli-context.js';
import { buildProgram } from '../program.js';

interface Run {
  stdout: string;
  error: unknown;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  let error: unknown = null;
  try {
    const program = buildProgram();
    program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: () => undefined });
    await program.parseAsync(['node', 'sts-pilot', 'check', ...args]);
  } catch (e) {
    error = e;
  } finally {
    out.mockRestore();
  }
  return { stdout, error };
}

describe('sts-pilot check', () => {
  let ca: TestCa;
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    ca = createTestCa();
    dir = await mkdtemp(join(tmpdir(), 'sts-check-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, ca.caCert);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function flags(dep: FixtureDeployment, timeoutMs = 5_000): string[] {
    return [
      '--dns-server', dep.options.dnsServers?.[0] ?? '',
      '--ca-file', caFile,
      '--smtp-port', String(dep.options.smtpPort),
      '--https-port', String(dep.options.httpsPort),
      '--timeout', String(timeoutMs),
    ];
  }

  it('a correct deployment prints no findings and "0 errors, 0 warnings", exit 0', async () => {
    const dep = await startFixtureDeployment({ domain: 'example.test', mx: [{ host: 'mx1.example.test' }], ca });
    try {
      const r = await run('example.test', ...flags(dep), '--allow-private');
      expect(r.error).toBeNull();
      expect(r.stdout).toContain('MTA-STS check of example.test at ');
      expect(r.stdout).toContain('No findings.');
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 0 warnings');
    } finally {
      await dep.stop();
    }
  });

  it('CHK-12 + CHK-16: prints a severity/code/message table and exits 1 when there are errors', async () => {
    const dep = await startFixtureDeployment({ domain: 'example.test', mx: [{ host: 'mx1.example.test', behaviour: 'silent' }], policyCert: 'expired', tlsrptTxt: null, ca });
    try {
      const r = await run('example.test', ...flags(dep, 1_500), '--allow-private');
      expect(r.error).toBeInstanceOf(CliError);
      expect((r.error as CliError).exitCode).toBe(1);
      const lines = r.stdout.split('\n');
      expect(lines).toContain('SEVERITY CODE                   MESSAGE');
      expect(lines.filter((l) => /^(error|warn) /.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
        'error TLSRPT_MISSING',
        'error POLICY_FETCH_FAILED',
        'warn MX_PROBE_INCONCLUSIVE',
      ]);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 errors, 1 warnings');
    } finally {
      await dep.stop();
    }
  });

  it('--json prints the CheckResult with the scenario-shaped `observed`', async () => {
    const dep = await startFixtureDeployment({ domain: 'example.test', mx: [{ host: 'mx1.example.test' }], ca });
    try {
      const r = await run('example.test', ...flags(dep), '--allow-private', '--json');
      expect(r.error).toBeNull();
      const parsed = JSON.parse(r.stdout) as { domain: string; findings: unknown[]; observed: Record<string, unknown> };
      expect(parsed.domain).toBe('example.test');
      expect(parsed.findings).toEqual([]);
      expect(Object.keys(parsed.observed)).toEqual(['mx', 'mtaStsTxt', 'tlsrptTxt', 'policyFetch', 'mxProbes']);
      expect(parsed.observed.mx).toEqual(['mx1.example.test']);
    } finally {
      await dep.stop();
    }
  });

  it('without --allow-private, loopback hosts are reported and not contacted', async () => {
    const dep = await startFixtureDeployment({ domain: 'example.test', mx: [{ host: 'mx1.example.test' }], ca });
    try {
      const r = await run('example.test', ...flags(dep), '--json');
      expect((r.error as CliError).exitCode).toBe(1);
      const parsed = JSON.parse(r.stdout) as { findings: Array<{ code: string }> };
      expect(parsed.findings.map((f) => f.code)).toEqual(['ADDRESS_NOT_PUBLIC', 'ADDRESS_NOT_PUBLIC']);
      expect(dep.policyServer.requests).toEqual([]);
    } finally {
      await dep.stop();
    }
  });

  it('refuses a bad port, timeout or DNS server with exit 2 before any lookup', async () => {
    for (const bad of [['--smtp-port', 'abc'], ['--https-port', '70000'], ['--timeout', '0'], ['--dns-server', 'dns.example.net']]) {
      const r = await run('example.test', ...bad);
      expect(r.error).toBeInstanceOf(CliError);
      expect((r.error as CliError).exitCode).toBe(2);
      expect((r.error as CliError).message).toContain(bad[0]);
      expect(r.stdout).toBe('');
    }
  });
});
