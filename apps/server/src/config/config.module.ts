import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@app/config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The validated configuration object, loaded once in main and shared read-only by every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
