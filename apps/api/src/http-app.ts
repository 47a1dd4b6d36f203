import { INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

/**
 * The HTTP conventions every entry point shares: pino logs, strict DTO validation with
 * messages that name the field, OpenAPI at /docs.
 */
export function configureHttpApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('nps-bridge')
      .setDescription('Admin API: connections, programs, reports. Every /api route needs an admin key.')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an admin key (npm run admin:key)' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
