import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { resolveDatabase } from '@app/store';
import { config as loadDotenv } from 'dotenv';
import { createLogger } from './logging/logger.js';
import { startServer } from './server.js';

loadDotenv({ quiet: true });
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(`Configuration error: ${loaded.error}`);
  process.exit(1);
}
const config = loaded.config;
const log = createLogger(config.logLevel);

const db = await resolveDatabase({
  url: config.database.url,
  dataDir: config.dataDir,
  embeddedPort: config.database.embeddedPort,
  log: (line) => log.info(line),
});
log.info({ database: db.kind }, `Database: ${db.description}`);

let server;
try {
  server = await startServer({ config, databaseUrl: db.url, logger: log });
} catch (err) {
  log.fatal({ err }, 'Start-up failed');
  await db.stop();
  process.exit(1);
}
log.info(`SMTP listening on ${server.smtp.address}:${server.smtp.port} for ${config.smtp.recipientDomains.join(', ')}`);
log.info(`HTTP listening on http://${server.http.address}:${server.http.port} (API under /api)`);
if (server.initialAdminToken) {
  // Printed once, straight to the terminal and never through the logger: it is a secret.
  process.stdout.write(
    `\nFirst start: created an admin API token. It is shown only this once:\n\n  ${server.initialAdminToken}\n\n` +
      'Use it as "Authorization: Bearer <token>"; create more with "npx sts-pilot token create".\n\n',
  );
}

// A bug in one connection's handling must not take the listener down with it.
process.on('unhandledRejection', (err) => log.error({ err }, 'Unhandled promise rejection'));

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received: closing listeners and the database`);
  await server.close().catch((err) => log.error({ err }, 'Error while closing the app'));
  await db.stop().catch((err) => log.error({ err }, 'Error while stopping embedded PostgreSQL'));
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
