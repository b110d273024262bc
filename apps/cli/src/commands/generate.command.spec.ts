import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../cli-context.js';
import { buildProgram } from '../program.js';

interface Run {
  stdout: string;
  stderr: string;
  error: unknown;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let error: unknown = null;
  try {
    const program = buildProgram();
    program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
    await program.parseAsync(['node', 'sts-pilot', 'generate', ...args]);
  } catch (e) {
    error = e;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr, error };
}

describe('sts-pilot generate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T10:15:30Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('prints labelled sections ready to paste', async () => {
    const r = await run('example.com', '--mx', 'mx1.example.com', 'mx2.example.com', '--report-address', 'tlsrpt@sts.example.net');
    expect(r.error).toBeNull();
    expect(r.stdout).toBe(
      [
        'MTA-STS records for example.com (mode testing, max_age 86400, id 20261123101530)',
        '',
        '== Policy file: serve at https://mta-sts.example.com/.well-known/mta-sts.txt',
        '   (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect; CRLF line endings)',
        'version: STSv1',
        'mode: testing',
        'mx: mx1.example.com',
        'mx: mx2.example.com',
        'max_age: 86400',
        '',
        '== _mta-sts.example.com TXT (publish only after the policy file above is served)',
        'v=STSv1; id=20261123101530',
        '',
        '== _smtp._tls.example.com TXT',
        'v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net',
        '',
        '== Zone file snippet (BIND)',
        '; MTA-STS for example.com: serve the policy at https://mta-sts.example.com/.well-known/mta-sts.txt',
        '; (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect) before publishing a new id.',
        '_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=20261123101530"',
        '_smtp._tls.example.com. 86400 IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts.example.net"',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--json prints one object with the records and findings', async () => {
    const r = await run('Example.com.', '--mx', 'mail.example.com.', '--stage', 'enforce-steady', '--used-id', '20261123101530', '--json');
    expect(r.error).toBeNull();
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(json).toMatchObject({
      ok: true,
      domain: 'example.com',
      id: '202611231015300',
      stsTxt: 'v=STSv1; id=202611231015300',
      tlsRptTxt: null,
      policyBody: 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 1209600\r\n',
      policy: { mode: 'enforce', mx: ['mail.example.com'], maxAge: 1209600 },
    });
    expect((json.findings as Array<{ code: string }>).map((f) => f.code)).toEqual(['DOMAIN_TRAILING_DOT', 'MX_TRAILING_DOT']);
  });

  it('shows warnings in a Findings section (ROLL-4)', async () => {
    const r = await run('example.com', '--mx', 'mx.example.com', '--max-age', '3600');
    expect(r.error).toBeNull();
    expect(r.stdout).toContain('== Findings\n  warn  MAX_AGE_SHORT_TESTING (ROLL-4): The testing max_age 3600 is under 86400 seconds (one day).\n');
  });

  it('ROLL-3: --max-age 31557601 is refused with exit code 2 and the finding', async () => {
    const r = await run('example.com', '--mx', 'mx.example.com', '--max-age', '31557601');
    expect(r.error).toBeInstanceOf(CliError);
    expect((r.error as CliError).exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error MAX_AGE_OUT_OF_RANGE (ROLL-3): The max_age 31557601 is outside 1..31557600 seconds');
  });

  it('--json on refused input prints the findings as JSON and exits 2', async () => {
    const r = await run('example.com', '--mx', '192.0.2.1', '--json');
    expect((r.error as CliError).exitCode).toBe(2);
    const json = JSON.parse(r.stdout) as { ok: boolean; findings: Array<{ code: string }> };
    expect(json.ok).toBe(false);
    expect(json.findings.map((f) => f.code)).toEqual(['MX_INVALID']);
  });

  it('a non-numeric --max-age is refused with MAX_AGE_INVALID', async () => {
    const r = await run('example.com', '--mx', 'mx.example.com', '--max-age', '1d');
    expect((r.error as CliError).exitCode).toBe(2);
    expect(r.stderr).toContain('MAX_AGE_INVALID');
    expect(r.stderr).toContain('"1d"');
  });

  it('STS-POL-11: no --mx outside mode none is refused; --mode none without --mx works', async () => {
    const refused = await run('example.com');
    expect((refused.error as CliError).exitCode).toBe(2);
    expect(refused.stderr).toContain('MX_INVALID');
    const none = await run('example.com', '--mode', 'none', '--json');
    expect(none.error).toBeNull();
    expect(JSON.parse(none.stdout)).toMatchObject({ policyBody: 'version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n' });
  });

  it('an unknown --mode is rejected by the option parser', async () => {
    const r = await run('example.com', '--mx', 'mx.example.com', '--mode', 'Enforce');
    expect(r.error).toBeInstanceOf(CommanderError);
    expect(r.stderr).toContain("'Enforce'");
  });
});
