import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('STS Pilot API')
    .setDescription(
      'TLS-RPT reports, MTA-STS checks and rollout advice. Send `Authorization: Bearer <token>`: `read` tokens for ' +
        'dashboards, reports and exports, `admin` tokens for changes. Dashboards answer from daily rollups (UTC days).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /api/docs and the JSON document at /api/docs-json; both open, like health. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_UI_PATH}-json`, yamlDocumentUrl: `${OPENAPI_UI_PATH}-yaml` });
  return document;
}
