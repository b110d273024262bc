import { Command } from 'commander';
import { withDatabase } from '../cli-context.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .action(async () => {
      const applied = await withDatabase(async (ds) => ds.query(`SELECT name FROM migrations ORDER BY id`));
      process.stdout.write(`Database schema is up to date (${applied.length} migration(s) applied).\n`);
    });
}
