export { loadConfig, type AppConfig, type ConfigResult } from './config.js';
export { configSchema } from './config.schema.js';
