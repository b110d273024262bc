import { TokenStore, type TokenScope } from '@app/store';
import { Command, Option } from 'commander';
import { CliError, withDatabase } from '../cli-context.js';

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('manage API tokens');

  token
    .command('create')
    .description('create an API token (shown once; only its hash is stored)')
    .addOption(new Option('--scope <scope>', 'read: dashboards and exports; admin: also re-parse, settings, transitions').choices(['read', 'admin']).default('read'))
    .requiredOption('--name <name>', 'who or what uses the token')
    .option('--json', 'print {"token": "..."}')
    .action(async (opts: { scope: TokenScope; name: string; json?: boolean }) => {
      const created = await withDatabase((ds) => new TokenStore(ds).create(opts.name, opts.scope));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ token: created.token, id: created.id, name: created.name, scope: created.scope }) + '\n');
      } else {
        process.stdout.write(`Created ${created.scope} token #${created.id} "${created.name}". It is shown only once:\n\n  ${created.token}\n`);
      }
    });

  token
    .command('list')
    .description('list API tokens (never their values)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase((ds) => new TokenStore(ds).list());
      const items = rows.map((r) => ({
        id: r.id,
        name: r.name,
        scope: r.scope,
        prefix: r.tokenPrefix,
        createdAt: r.createdAt.toISOString(),
        lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
        revokedAt: r.revokedAt?.toISOString() ?? null,
      }));
      if (opts.json) return void process.stdout.write(JSON.stringify(items, null, 2) + '\n');
      if (!items.length) return void process.stdout.write('No tokens.\n');
      for (const t of items) {
        process.stdout.write(
          `#${t.id}\t${t.scope}\t${t.prefix}…\t${t.name}\tcreated ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`,
        );
      }
    });

  token
    .command('revoke')
    .description('revoke an API token by its id')
    .argument('<id>', 'token id from "token list"')
    .action(async (id: string) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n <= 0) throw new CliError(`"${id}" is not a token id`, 2);
      const done = await withDatabase((ds) => new TokenStore(ds).revoke(n));
      if (!done) throw new CliError(`no active token with id ${n}`);
      process.stdout.write(`Revoked token #${n}.\n`);
    });
}
