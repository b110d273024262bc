import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@app/config';
import type { DnsTxtResolver } from '@app/ingest';
import { dataSourceOptions } from '@app/store';
import type { Logger } from 'pino';
import { AdviceModule } from './advice/advice.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ChecksModule } from './checks/checks.module.js';
import { ClockModule } from './clock/clock.module.js';
import { ConfigModule } from './config/config.module.js';
import { DailyLoopModule } from './daily-loop/daily-loop.module.js';
import { DashboardsModule } from './dashboards/dashboards.module.js';
import { DigestModule } from './digest/digest.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpsReportsModule } from './https-reports/https-reports.module.js';
import { ImapModule } from './imap/imap.module.js';
import { DomainsModule } from './domains/domains.module.js';
import { DKIM_RESOLVER } from './ingest/ingest.service.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PolicyHostingModule } from './policy-hosting/policy-hosting.module.js';
import { QuarantineReparseModule } from './quarantine-reparse/quarantine-reparse.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';
import { SmtpModule } from './smtp/smtp.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { TransitionsModule } from './transitions/transitions.module.js';
import { WebModule } from './web/web.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  /** DNS TXT lookups for DKIM keys; tests replace it, production uses the system resolver. */
  dkimResolver?: DnsTxtResolver;
}

@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(opts.config),
        LoggingModule.forRoot(opts.logger),
        // Migrations already ran (under a lock) in startServer.
        TypeOrmModule.forRoot(dataSourceOptions(opts.databaseUrl)),
        { module: DkimResolverModule, global: true, providers: [{ provide: DKIM_RESOLVER, useValue: opts.dkimResolver ?? null }], exports: [DKIM_RESOLVER] },
        RateLimitModule,
        AuthModule,
        MetricsModule,
        HealthModule,
        HttpsReportsModule,
        ReportsModule,
        SmtpModule,
        ImapModule,
        ClockModule,
        SchedulerModule,
        DomainsModule,
        ChecksModule,
        AdviceModule,
        TransitionsModule,
        PolicyHostingModule,
        WebModule,
        DashboardsModule,
        TokensModule,
        QuarantineReparseModule,
        AlertsModule,
        DailyLoopModule,
        DigestModule,
      ],
    };
  }
}

@Module({})
class DkimResolverModule {}
