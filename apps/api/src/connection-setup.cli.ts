import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, RuntimeModule } from '@libs/config/src';
import { openDatabase, runMigrations } from '@libs/db/src';
import { ConnectionsModule } from './connections/connections.module';
import { ConnectionsService, SetupResult } from '@libs/app/src/connections/connections.service';

/**
 * `npm run connection:setup -- <connection id>`, the same as POST /api/connections/:id/setup.
 * A helpdesk: creates (or reuses) the webhook and its "status changed to solved" rule,
 * pointing at PUBLIC_URL/webhooks/helpdesk/<id>, and the score field. A CRM: creates the
 * missing NPS fields, and prints the exact list the admin must create when the API user may not.
 */
function describe(result: SetupResult): string {
  if (result.kind === 'helpdesk') {
    return (
      `webhook ${result.webhookId} and its "ticket solved" rule ${result.ruleId} now call ${result.webhookUrl}\n` +
      `score field ${result.scoreFieldId} ${result.scoreFieldCreated ? 'created' : 'already there'}\n`
    );
  }
  const { created, existing, manual } = result.fields;
  const lines = [`fields created: ${created.length ? created.join(', ') : 'none'}`, `fields already there: ${existing.length}`];
  if (manual.length) {
    lines.push(`${manual.length} fields could not be created by the API user; create them by hand:`);
    for (const f of manual) {
      const options = f.options?.length ? ` (values: ${f.options.join(', ')})` : '';
      lines.push(`  ${f.object} ${f.name}: "${f.label}", ${f.type}${options} [${f.reason}]`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const id = process.argv[2];
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new ConfigError('connection id', 'usage: npm run connection:setup -- <connection id>');
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await runMigrations(db.url);
    @Module({ imports: [RuntimeModule.forRoot({ config: { ...config, logLevel: 'warn' }, databaseUrl: db.url, role: 'producer' }), ConnectionsModule] })
    class SetupModule {}
    const app = await NestFactory.createApplicationContext(SetupModule, { logger: ['error', 'warn'] });
    try {
      const result = await app.get(ConnectionsService).setup(id, 'cli');
      if (result.kind === 'helpdesk' && !config.publicUrl) {
        process.stderr.write('connection:setup: PUBLIC_URL is unset; the webhook points at the local address, which the helpdesk cannot reach\n');
      }
      process.stdout.write(describe(result));
      if (result.kind === 'crm' && result.fields.manual.length) process.exitCode = 2;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`connection:setup: ${error.message}\n`);
  process.exit(1);
});
