import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { createZendeskSandbox, SANDBOX_DEFAULTS } from '@apps/sandbox/src/zendesk';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { runBench } from './bench-support';
import { listenSandbox } from '@apps/sandbox/src/kit/sandbox';

/**
 * `npm run bench:webhooks`: another process sends signed solved-ticket deliveries (10 % of them
 * repeated) to a running api on loopback; prints what was accepted per second, the p99 latency,
 * the surveys the worker made of them, and any duplicate survey or delivery.
 */
const UNIQUE = Number(process.env.BENCH_WEBHOOKS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 24);
const SECRET = 'bench-signing-secret';

runBench({ api: true, worker: true, sandbox: false }, async (service) => {
  let failed = false;
  const db = service.app.get(DataSource);
  // The worker reads each solved ticket back for its solve time to the second: a Zendesk sandbox
  // holds the tickets the sender reports (ids 100000 + i), solved.
  const zendesk = createZendeskSandbox({ users: 0, tickets: 0, requestsPerMinute: 1_000_000 });
  zendesk.data.nextId.ticket = 100_000;
  for (let i = 0; i < UNIQUE; i++) zendesk.solveTicket(zendesk.createTicket({ requesterEmail: `requester${i}@bench.example`, subject: `Bench ticket ${i}` }).id);
  const served = await listenSandbox(zendesk);
  const credentials = {
    authType: 'api_token',
    subdomain: 'bench',
    email: SANDBOX_DEFAULTS.adminEmail,
    apiToken: SANDBOX_DEFAULTS.apiToken,
    baseUrl: served.url,
    webhookSigningSecret: SECRET,
  };
  const [{ id }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('zendesk', 'bench', $1, 'active') RETURNING id`, [
    service.app.get(ConnectorBuilder).encrypt(credentials),
  ]);
  const sender = spawn(process.execPath, [join(__dirname, 'webhook-sender.js'), `${service.url}/webhooks/helpdesk/${id}`, SECRET, String(UNIQUE), '0.1', String(CONCURRENCY)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  sender.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => sender.on('exit', resolve));
  if (code !== 0) throw new Error(`webhook-sender exited with ${code}`);
  const sent = JSON.parse(out.trim()) as { sent: number; accepted: number; seconds: number; p99_ms: number };

  const events = service.app.get(TicketEvents);
  while ((await events.processDeliveries(500)) > 0);
  await served.close();
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM surveys WHERE trigger = 'ticket_solved') AS surveys,
            (SELECT count(*)::int - count(DISTINCT source_ref)::int FROM surveys WHERE trigger = 'ticket_solved') AS duplicate_surveys,
            (SELECT count(*)::int - count(DISTINCT delivery_id)::int FROM webhook_deliveries) AS duplicate_deliveries,
            (SELECT count(*)::int FROM webhook_deliveries) AS deliveries`,
  );
  const duplicates = row.duplicate_surveys + row.duplicate_deliveries;
  const rate = sent.accepted / sent.seconds;
  console.log(`webhooks: sent=${sent.sent} accepted_per_s=${Math.round(rate)} p99_ms=${sent.p99_ms.toFixed(1)} surveys=${row.surveys} duplicates=${duplicates}`);
  if (rate < 1000 || sent.p99_ms >= 100 || duplicates !== 0 || row.surveys !== UNIQUE || sent.accepted !== sent.sent) {
    failed = true;
    console.log(`  target missed: accepted ${sent.accepted}/${sent.sent}, deliveries=${row.deliveries}, surveys ${row.surveys}/${UNIQUE}`);
  }
  return failed;
});
