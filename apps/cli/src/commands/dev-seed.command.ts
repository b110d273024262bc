import { rebuildRollups, type RebuildResult } from '@app/store';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { CliError, withDatabase } from '../cli-context.js';

export interface SeedOptions {
  domains: number;
  days: number;
  /** failure_detail rows in total, spread over every report. */
  failures: number;
  /** Last seeded day (YYYY-MM-DD); the series runs `days` days up to it. */
  endDay: string;
}

export interface SeedResult {
  reports: number;
  failureRows: number;
  from: string;
  to: string;
  rollups: RebuildResult;
}

const ORGANIZATIONS = ['Google LLC', 'Microsoft Corporation', 'Yahoo Inc.', 'comcast.net'];
const RESULT_TYPES = ['starttls-not-supported', 'certificate-expired', 'certificate-host-mismatch', 'validation-failure', 'sts-policy-fetch-error', 'certificate-not-trusted'];
const REASON_CODES = ['', '', '', 'X509_V_ERR_CERT_HAS_EXPIRED', 'TLS_HANDSHAKE_TIMEOUT'];

/**
 * Fills the database with synthetic reports: one report per domain, day and organization, failure details spread
 * over them, then the rollups rebuilt for the seeded days. Rows are generated server-side with generate_series
 * (one INSERT ... SELECT per table), which is as fast as COPY here and needs no client-side streaming.
 * Every seeded report points at one synthetic raw message and carries a short summary JSON as its text. Sending
 * addresses come from a pool of 5000, so breakdowns by sending IP see a realistic number of values.
 */
export async function seedDatabase(ds: DataSource, o: SeedOptions): Promise<SeedResult> {
  const to = o.endDay;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (o.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const run = Date.now().toString(36);
  const { reports, failureRows } = await ds.transaction(async (m) => {
    const [raw] = await m.query(
      `INSERT INTO raw_message (source, sha256, size_bytes, bytes, dkim_result)
       VALUES ('import', sha256(convert_to($1, 'UTF8')), length($1), convert_to($1, 'UTF8'), 'not-verified') RETURNING id`,
      [`sts-pilot dev seed ${run}`],
    );
    const [{ n: reportCount }] = await m.query(
      `WITH ins AS (
         INSERT INTO report (raw_message_id, dedupe_org, organization_name, report_id, date_start, date_end, day, contact_info,
                             report_text, authenticated, source, received_at)
         SELECT $1, o.name, o.name, format('seed|seed-%s.example|%s|%s', d, to_char(k, 'YYYY-MM-DD'), $5::text),
                k, k + interval '1 day' - interval '1 second', k::date, 'tlsrpt@' || lower(replace(o.name, ' ', '')),
                json_build_object('organization-name', o.name, 'report-id', format('seed-%s-%s', d, k::date))::text,
                true, 'import', k + interval '1 day' + interval '2 hours'
           FROM generate_series(1, $2::int) d,
                generate_series($3::date, $4::date, interval '1 day') k,
                unnest($6::text[]) o(name)
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [raw.id, o.domains, from, to, run, ORGANIZATIONS],
    );
    await m.query(
      `INSERT INTO report_policy (report_pk, position, policy_type, policy_domain, policy_string, mx_host, successful_sessions, failed_sessions, counts_toward_rates)
       SELECT r.id, 0, 'sts', split_part(r.report_id, '|', 2),
              ARRAY['version: STSv1', 'mode: testing', 'mx: *.' || split_part(r.report_id, '|', 2), 'max_age: 604800'],
              ARRAY['*.' || split_part(r.report_id, '|', 2)], 500 + (r.id * 7919) % 5000, 0, true
         FROM report r WHERE r.raw_message_id = $1`,
      [raw.id],
    );
    await m.query(
      `CREATE TEMP TABLE seed_policy ON COMMIT DROP AS
       SELECT (row_number() OVER (ORDER BY p.id) - 1)::int AS n, p.id AS policy_pk, p.report_pk, p.policy_domain, r.day
         FROM report_policy p JOIN report r ON r.id = p.report_pk WHERE r.raw_message_id = $1`,
      [raw.id],
    );
    const [{ n: failureCount }] = await m.query(
      `WITH ins AS (
         INSERT INTO failure_detail (report_pk, policy_pk, position, policy_domain, day, result_type, failed_session_count, sending_mta_ip,
                                     sending_mta_ip_inet, receiving_ip, receiving_ip_inet, receiving_mx_hostname, receiving_mx_helo,
                                     failure_reason_code)
         SELECT sp.report_pk, sp.policy_pk, i / $4::int, sp.policy_domain, sp.day, ($2::text[])[1 + (i * 31) % array_length($2::text[], 1)],
                1 + (i * 13) % 20, s.ip, s.ip::inet, v.ip, v.ip::inet, format('mx%s.%s', 1 + i % 3, sp.policy_domain),
                format('mx%s.%s', 1 + i % 3, sp.policy_domain), nullif(($3::text[])[1 + (i * 17) % array_length($3::text[], 1)], '')
           FROM generate_series(0, $1::int - 1) i
           JOIN seed_policy sp ON sp.n = i % $4::int
           CROSS JOIN LATERAL (SELECT host('100.64.0.0'::inet + (i::bigint * 7919) % 5000) AS ip) s
           CROSS JOIN LATERAL (SELECT format('198.51.100.%s', 10 + i % 3) AS ip) v
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [o.failures, RESULT_TYPES, REASON_CODES, Math.max(reportCount, 1)],
    );
    await m.query(
      `UPDATE report_policy p SET failed_sessions = f.n
         FROM (SELECT policy_pk, sum(failed_session_count) AS n FROM failure_detail f JOIN seed_policy sp USING (policy_pk) GROUP BY policy_pk) f
        WHERE p.id = f.policy_pk`,
    );
    return { reports: reportCount as number, failureRows: failureCount as number };
  });
  const rollups = await rebuildRollups(ds, { from, to });
  return { reports, failureRows, from, to, rollups };
}

const positive = (name: string, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new CliError(`${name}: "${v}" must be a whole number from 0 to ${max}`, 2);
  return n;
};

export function registerDevCommand(program: Command): void {
  const dev = program.command('dev').description('developer tools (synthetic data)');
  dev
    .command('seed')
    .description('fill the database with synthetic reports and rebuild the rollups for those days (for tests and benchmarks)')
    .option('--domains <n>', 'policy domains (seed-1.example …)', positive('--domains', 10_000), 3)
    .option('--days <n>', 'days of reports, ending at --end-day', positive('--days', 3660), 30)
    .option('--failures <n>', 'failure-detail rows in total', positive('--failures', 50_000_000), 10_000)
    .option('--end-day <day>', 'last day (YYYY-MM-DD, UTC); default today')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { domains: number; days: number; failures: number; endDay?: string; json?: boolean }) => {
      const endDay = opts.endDay ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(endDay) || Number.isNaN(Date.parse(endDay))) throw new CliError(`--end-day: "${endDay}" is not a day as YYYY-MM-DD`, 2);
      if (opts.domains === 0 || opts.days === 0) throw new CliError('--domains and --days must be at least 1', 2);
      const started = Date.now();
      const r = await withDatabase((ds) => seedDatabase(ds, { domains: opts.domains, days: opts.days, failures: opts.failures, endDay }));
      if (opts.json) return void process.stdout.write(JSON.stringify(r) + '\n');
      process.stdout.write(
        `Seeded ${r.reports} report(s) and ${r.failureRows} failure row(s) for ${r.from}..${r.to} in ${((Date.now() - started) / 1000).toFixed(1)} s; rollups rebuilt.\n`,
      );
    });
}
