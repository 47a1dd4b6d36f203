import { INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionsService } from '../../api/src/connections/connections.service';
import { ServedSandbox } from './sandboxes';

/**
 * On the all-in-one default's first start (no connection yet), connects one CRM sandbox and the
 * helpdesk sandboxes, and runs their setup (helpdesk webhook and score field, CRM NPS fields),
 * so the whole loop runs with no account.
 * DEMO_CRM picks the CRM sandbox (default: the first registered).
 */
export async function connectDemo(app: INestApplicationContext, served: ServedSandbox[], demoCrm?: string): Promise<string[]> {
  const db = app.get(DataSource);
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM connections WHERE deleted_at IS NULL`);
  if (n > 0) return [];
  const connections = app.get(ConnectionsService);
  const crm = served.find((s) => s.kit.role === 'crm' && (!demoCrm || s.kit.kind === demoCrm));
  const chosen = [...(crm ? [crm] : []), ...served.filter((s) => s.kit.role === 'helpdesk')];
  const lines: string[] = [];
  for (const s of chosen) {
    const { name, credentials, settings } = s.kit.connection(s.baseUrl);
    const created = await connections.create({ kind: s.kit.kind, name, credentials, settings }, 'demo');
    // The helpdesk's webhook, trigger and score field; the CRM's NPS fields.
    await connections.setup(created.id, 'demo');
    lines.push(`${s.kit.kind} sandbox connected as "${name}"`);
  }
  new Logger('Demo').log({ connected: lines }, 'demo connections created');
  return lines;
}
