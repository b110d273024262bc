export { loadConfig, type AppConfig, type ConfigResult } from './config.js';
export { configSchema } from './config.schema.js';
export { imapSourceSchema, parseImapSources, type ImapOAuth2Config, type ImapSourceConfig } from './imap-sources.schema.js';
