import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@app/config';
import { migrateDatabase } from '@app/store';
import type { DnsTxtResolver } from '@app/ingest';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { systemDnsResolver } from './ingest/dns-resolver.js';
import { TokenService } from './auth/token.service.js';
import { setupOpenApi } from './docs/openapi.js';
import { PinoNestLogger } from './logging/logger.js';
import { SmtpListenerService } from './smtp/smtp-listener.service.js';

export interface RunningServer {
  app: NestExpressApplication;
  http: AddressInfo;
  smtp: AddressInfo;
  /** Set only on the very first start: the admin token, to be shown once. */
  initialAdminToken: string | null;
  close(): Promise<void>;
}

/** Boots the Nest app (migrations run first), then the HTTP and SMTP listeners. Used by main and by the e2e suites. */
export async function startServer(opts: {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  dkimResolver?: DnsTxtResolver;
}): Promise<RunningServer> {
  await migrateDatabase(opts.databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config: opts.config, databaseUrl: opts.databaseUrl, logger: opts.logger, dkimResolver: opts.dkimResolver ?? systemDnsResolver(opts.config.dnsServers) }),
    { logger: new PinoNestLogger(opts.logger), abortOnError: false, bodyParser: false },
  );
  // Security headers first, so that error responses (413, 400) carry them too.
  app.use(helmet());
  // JSON bodies for the API; report submissions (/tlsrpt) are read raw by their controller, whatever their type.
  const json = express.json({ limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/tlsrpt') ? next() : json(req, res, next)));
  app.disable('x-powered-by');
  // Behind a reverse proxy (docs/policy-hosting.md): req.ip and req.hostname come from X-Forwarded-* only for these peers.
  if (opts.config.trustedProxies.length > 0) app.set('trust proxy', opts.config.trustedProxies);
  app.enableShutdownHooks();
  setupOpenApi(app);
  const initialAdminToken = await app.get(TokenService).ensureInitialAdmin();
  await app.listen(opts.config.http.port, opts.config.http.host);
  // Longer than any client's or proxy's idle keep-alive, so a reused connection is never closed under a request.
  app.getHttpServer().keepAliveTimeout = 65_000;
  app.getHttpServer().headersTimeout = 66_000;
  const http = app.getHttpServer().address() as AddressInfo;
  const smtp = await app.get(SmtpListenerService).listen();
  return { app, http, smtp, initialAdminToken, close: () => app.close() };
}
