import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { webMiddleware } from './web.middleware.js';
import { findWebRoot } from './web-root.js';

/** Serves the built dashboard (dist/web) at `/`, with an SPA fallback for page routes. */
@Module({})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(webMiddleware(findWebRoot())).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
