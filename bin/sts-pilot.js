#!/usr/bin/env node
// Runs the compiled CLI, building the checkout first when it has not been built yet.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/apps/cli/src/main.js');
if (!existsSync(entry)) {
  execSync('npm run --silent build', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
await import(pathToFileURL(entry).href);
