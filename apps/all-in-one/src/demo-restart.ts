import { INestApplicationContext, Logger } from '@nestjs/common';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { moved, repointed, sandboxConnections } from './demo-connections';
import { ServedSandbox } from '@apps/sandbox/src/sandboxes';

/**
 * On a later start of the demo, keeps the stored connections working with the sandboxes of
 * this start: a connection whose sandbox URL changed (another PORT) is pointed at the current
 * one, and one whose sandbox was generated anew (no state file, e.g. DATA_DIR/sandbox deleted)
 * gets its setup again: the helpdesk's webhook, trigger, signing secret and score field, the
 * CRM's NPS fields. A sandbox restored from its state file needs neither.
 * Runs before connectDemo, which only acts when there is no connection at all.
 */
export async function reconnectDemo(app: INestApplicationContext, served: ServedSandbox[]): Promise<string[]> {
  const connections = app.get(ConnectionsService);
  const builder = app.get(ConnectorBuilder);
  const logger = new Logger('Demo');
  const lines: string[] = [];
  for (const connection of await sandboxConnections((type) => app.get(type), served)) {
    const kind = connection.served.kit.kind;
    const urlChanged = moved(connection);
    if (!urlChanged && connection.served.sandbox.restored !== false) continue;
    try {
      if (urlChanged) await builder.saveCredentials(connection.id, repointed(connection));
      // The webhook URL carries this service's address, so a move needs the helpdesk setup too.
      await connections.setup(connection.id, 'demo');
      lines.push(urlChanged ? `${kind} sandbox moved to ${connection.served.baseUrl}; setup redone` : `${kind} sandbox was new; setup redone`);
    } catch (error) {
      // The rest of the demo still starts; the connection's status and the log say what failed.
      logger.warn({ connectionId: connection.id, kind, error: (error as Error).message }, 'demo connection could not be set up again');
      lines.push(`${kind} sandbox: setup could not be redone (${(error as Error).message})`);
    }
  }
  if (lines.length) logger.log({ reconnected: lines }, 'demo connections follow the sandboxes of this start');
  return lines;
}
