import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { programRuleSchemas } from '@libs/app/src/program/program-rules.schema';
import { connectorSchemas } from '@libs/app/src/connections/connector-schemas';
import { ErrorDto } from './api-errors';

/** The reference at /docs (and /docs-json): every route, its body, answers and errors. */
function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('nps-bridge')
      .setDescription(
        'Admin API: connections, the program, the plan, write-backs, loop closure, admin keys, response links. ' +
          'Every /api route needs an admin key (`npm run admin:key`) sent as "Authorization: Bearer <key>". ' +
          'Errors answer with `ErrorDto`; a 400 names every field that is wrong.',
      )
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'npsb admin key',
        description: 'an nps-bridge admin key: `npsb_` and 43 base64url characters, from `npm run admin:key` or POST /api/admin-keys (not a JWT)',
      })
      .build(),
    { extraModels: [ErrorDto] },
  );
  // Built from data, not Nest classes: each connector's credentials and settings, the program rules.
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...connectorSchemas(), ...programRuleSchemas() },
  };
  return document;
}

export function setupApiDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildApiDocument(app));
}
