import { Command } from 'commander';
import { registerAdviseCommand } from './commands/advise.command.js';
import { registerCheckCommand } from './commands/check.command.js';
import { registerDevCommand } from './commands/dev-seed.command.js';
import { registerDomainCommand } from './commands/domain.command.js';
import { registerGenerateCommand } from './commands/generate.command.js';
import { registerImapCommand } from './commands/imap.command.js';
import { registerImportCommand } from './commands/import.command.js';
import { registerMigrateCommand } from './commands/migrate.command.js';
import { registerReparseCommand } from './commands/reparse.command.js';
import { registerRollupsCommand } from './commands/rollups.command.js';
import { registerTokenCommand } from './commands/token.command.js';

// Each command lives in ./commands/<name>.command.ts and exports one register function.
// Add yours to this list; keep the list sorted by command name.
const registrations: Array<(program: Command) => void> = [
  registerAdviseCommand,
  registerCheckCommand,
  registerDevCommand,
  registerDomainCommand,
  registerGenerateCommand,
  registerImapCommand,
  registerImportCommand,
  registerMigrateCommand,
  registerReparseCommand,
  registerRollupsCommand,
  registerTokenCommand,
];

export function buildProgram(): Command {
  const program = new Command('sts-pilot')
    .description('STS Pilot: TLS-RPT receiver, MTA-STS checker and rollout advisor')
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrations) register(program);
  return program;
}
