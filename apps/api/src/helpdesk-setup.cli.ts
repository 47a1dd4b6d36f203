import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, RuntimeModule } from '../../../libs/config/src';
import { openDatabase, runMigrations } from '../../../libs/db/src';
import { ConnectionsModule } from './connections/connections.module';
import { ConnectionsService } from './connections/connections.service';

/**
 * `npm run helpdesk:setup -- <connection id>`: creates (or reuses) the helpdesk webhook and its
 * "status changed to solved" trigger, pointing at PUBLIC_URL/webhooks/helpdesk/<id>, and stores
 * the signing secret. The same as POST /api/connections/:id/setup.
 */
async function main(): Promise<void> {
  const id = process.argv[2];
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new ConfigError('connection id', 'usage: npm run helpdesk:setup -- <connection id>');
  const config = loadConfig();
  if (!config.publicUrl) throw new ConfigError('PUBLIC_URL', 'must be set to the address the helpdesk can reach this service on');
  const db = await openDatabase(config);
  try {
    await runMigrations(db.url);
    @Module({ imports: [RuntimeModule.forRoot({ config: { ...config, logLevel: 'warn' }, databaseUrl: db.url, role: 'producer' }), ConnectionsModule] })
    class SetupModule {}
    const app = await NestFactory.createApplicationContext(SetupModule, { logger: ['error', 'warn'] });
    try {
      const result = await app.get(ConnectionsService).setup(id, 'cli');
      process.stdout.write(`webhook ${result.webhookId} and trigger ${result.triggerId} now call ${result.webhookUrl}\n`);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`helpdesk:setup: ${error.message}\n`);
  process.exit(1);
});
