import { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { setupApiDocs } from './docs/api-document';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { BodyValidationPipe } from './http/input-pipes';
import { jsonBodyParser, refuseUnstorableText, urlencodedBodyParser } from './http/request-body';
import { applySecurityHeaders } from './security/security-headers';

/**
 * The HTTP conventions every entry point shares: pino logs, strict DTO validation with
 * messages that name the field, OpenAPI at /docs.
 */
export function configureHttpApp(app: INestApplication): void {
  applySecurityHeaders(app); // first: before any route (Swagger's too) is registered
  app.useLogger(app.get(Logger));
  // Our own parsers (size and depth limits, raw body kept) replace Nest's, then text Postgres
  // cannot store is refused: all before any route, so bad input never reaches a service.
  app.use(jsonBodyParser(), urlencodedBodyParser(), refuseUnstorableText);
  app.useGlobalPipes(new BodyValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(app.getHttpAdapter()));
  setupApiDocs(app);
}
