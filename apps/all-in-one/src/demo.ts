import { INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { ProgramService } from '@libs/app/src/program/program.service';
import { ServedSandbox } from '@apps/sandbox/src/sandboxes';
import { SLACK_SANDBOX_TOKEN } from '@apps/sandbox/src/slack';

/**
 * On the all-in-one default's first start (no connection yet), connects one CRM sandbox and the
 * helpdesk sandboxes, and runs their setup (helpdesk webhook and score field, CRM NPS fields),
 * so the whole loop runs with no account.
 * DEMO_CRM picks the CRM sandbox (default: the first registered).
 */
export async function connectDemo(app: INestApplicationContext, served: ServedSandbox[], demoCrm?: string): Promise<string[]> {
  const db = app.get(DataSource);
  if ((await new ConnectionsRepository(db.manager).countLive()) > 0) return [];
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
  // A new program is a draft; the demo sets who is asking and goes live so the loop runs by
  // itself, with a send window open around the clock so a try-out sees its emails at once.
  // Escalation stays off: the sandbox CRM's users are only known after the first sync, and an
  // admin names the leadership owner (rules.leadershipOwnerId) before turning it on.
  await app.get(ProgramService).update({
    companyName: 'Northwind Analytics',
    productName: 'Northwind Insights',
    senderName: 'Northwind Customer Success',
    senderEmail: 'nps@northwind.example',
    rules: {
      enterpriseEscalation: false,
      sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
      sendWindowStart: '00:00',
      sendWindowEnd: '24:00',
    },
    // Alerts (rules §9) go to the mail catcher and the Slack sandbox of this start.
    alertEmails: ['cs-leaders@northwind.example'],
    ...(served[0] ? { slackWebhookUrl: `${served[0].baseUrl.slice(0, -served[0].basePath.length)}/sandbox/slack/webhook/${SLACK_SANDBOX_TOKEN}` } : {}),
    live: true,
  });
  lines.push('program "Northwind Insights" is live (send window: every day, all day; change it with PUT /api/program)');
  new Logger('Demo').log({ connected: lines }, 'demo connections created');
  return lines;
}
