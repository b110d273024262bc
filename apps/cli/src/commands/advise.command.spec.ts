import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-context.js';
import { runAdvise } from './advise.command.js';

const probe = (host: string) => ({ host, starttls: true, certValid: true, certNames: [host], error: null });

const NO_POLICY = {
  now: '2026-01-05T00:00:00Z',
  domain: 'example.com',
  published: [],
  observed: {
    mx: ['mx1.example.com', 'mx2.example.com'],
    mtaStsTxt: [],
    tlsrptTxt: [],
    policyFetch: { status: 404, contentType: 'text/html', redirected: false, certValid: true, body: '' },
    mxProbes: [probe('mx1.example.com'), probe('mx2.example.com')],
  },
  reports: [{ 'report-id': 'broken' }],
};

describe('sts-pilot advise --scenario', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sts-advise-'));
    writeFileSync(file('no-policy.json'), JSON.stringify(NO_POLICY));
    writeFileSync(file('not-json.json'), '{ "now": ');
    writeFileSync(file('invalid.json'), JSON.stringify({ ...NO_POLICY, observed: undefined }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(opts: { scenario?: string; json?: boolean }): Promise<string> {
    let out = '';
    await runAdvise(opts, (text) => {
      out += text;
    });
    return out;
  }

  it('--json prints exactly one JSON advice object with RFC 3339-safe plain values', async () => {
    const out = await run({ scenario: file('no-policy.json'), json: true });
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().split('\n')).toHaveLength(1);
    const advice = JSON.parse(out) as Record<string, unknown>;
    expect(advice).toEqual({
      state: 'none',
      verdict: 'start-testing',
      blockers: [],
      proposed: {
        policy: 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n',
        txt: 'v=STSv1; id=20260105000000',
        mode: 'testing',
        mx: ['mx1.example.com', 'mx2.example.com'],
        maxAge: 86400,
        id: '20260105000000',
        tlsrptTxt: 'v=TLSRPTv1; rua=mailto:tlsrpt@localhost',
      },
    });
  });

  it('without --json prints the advice for a person, and lists reports that could not be used', async () => {
    const out = await run({ scenario: file('no-policy.json') });
    expect(out).toContain('Domain:  example.com\nState:   none\nVerdict: start-testing');
    expect(out).toContain('TXT _mta-sts.example.com: v=STSv1; id=20260105000000');
    expect(out).toContain('TXT _smtp._tls.example.com: v=TLSRPTv1; rua=mailto:tlsrpt@localhost');
    expect(out).toContain('Next steps:\n  1. Publish TXT _smtp._tls.example.com');
    expect(out).toContain('1 report(s) could not be parsed and were not used as evidence:\n  - report #0: MISSING_FIELD');
  });

  it.each<[{ scenario?: string }, RegExp]>([
    [{}, /advise needs --scenario <file>/],
    [{ scenario: '/nonexistent/scenario.json' }, /cannot read scenario \/nonexistent\/scenario.json/],
    [{ scenario: 'not-json.json' }, /is not JSON/],
    [{ scenario: 'invalid.json' }, /is invalid: observed: /],
  ])('bad input %j is a CliError with exit code 2', async (opts, message) => {
    const scenario = opts.scenario?.startsWith('/') === false ? file(opts.scenario) : opts.scenario;
    const attempt = run({ ...opts, scenario, json: true });
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await attempt.catch((err: CliError) => expect(err.exitCode).toBe(2));
  });
});
