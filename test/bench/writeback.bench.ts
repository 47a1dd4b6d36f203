import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { HealthNightly } from '@libs/app/src/follow-ups/health-nightly';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { CLOCK } from '@libs/config/src';
import { SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { answeredSurveys, childSandbox, httpJson, runBench } from './bench-support';

/**
 * `npm run bench:writeback`: per CRM sandbox (another process, loopback), 1,000 responses settle
 * (one follow-up task each, and the respondent's contact fields) and the nightly refresh queues
 * the health fields of 2,000 accounts; then the outbox is delivered and the calls spent are
 * compared with each connector README's "Minimum calls": Salesforce 1 token call + ⌈n/200⌉ per collection
 * write, HubSpot ⌈n/100⌉ per batch. Every record is then checked in the sandbox.
 */
const ACCOUNTS = Number(process.env.BENCH_WRITEBACK_ACCOUNTS ?? 2_000);
const TASKS = Number(process.env.BENCH_WRITEBACK_TASKS ?? 1_000);
const ceil = (n: number, size: number) => (n === 0 ? 0 : Math.ceil(n / size));

interface Vendor {
  kind: string;
  credentials(url: string): Record<string, unknown>;
  settings: Record<string, unknown>;
  minimum(updates: { account: number; contact: number }, tasks: number): number;
  /** What the sandbox holds after delivery: tasks, and records carrying our fields. */
  written(url: string): Promise<{ tasks: number; accounts: number; contacts: number }>;
}

const VENDORS: Vendor[] = [
  {
    kind: 'salesforce',
    credentials: (url) => ({ authType: 'client_credentials', loginUrl: url, clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' }),
    settings: {},
    minimum: (u, t) => 1 + ceil(u.account, 200) + ceil(u.contact, 200) + ceil(t, 200),
    written: (url) => httpJson(`${url}/_sandbox/writeback-counts`),
  },
  {
    kind: 'hubspot',
    credentials: (url) => ({ authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: url }),
    settings: { roleMapping: { 'End User': 'end_user' } },
    minimum: (u, t) => ceil(u.account, 100) + ceil(u.contact, 100) + ceil(t, 100),
    written: (url) => httpJson(`${url}/_sandbox/writeback-counts`),
  },
];

runBench({ api: false, worker: true, sandbox: false }, async (service) => {
  const db = service.app.get(DataSource);
  const clock = service.app.get(CLOCK);
  let failed = false;
  for (const vendor of VENDORS) {
    const sandbox = await childSandbox(vendor.kind, ACCOUNTS, { npsFields: true });
    try {
      const [{ id }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings, status) VALUES ($1, $2, $3, $4, 'active') RETURNING id`, [
        vendor.kind,
        `bench ${vendor.kind}`,
        service.app.get(ConnectorBuilder).encrypt(vendor.credentials(sandbox.url)),
        vendor.settings,
      ]);
      const run = await service.app.get(CrmSyncService).run({ connectionId: id, trigger: 'manual' });
      if (run?.status !== 'succeeded') throw new Error(`the ${vendor.kind} sync before the benchmark ended ${run?.status}`);

      const answeredAt = new Date(clock.now().getTime() - 3600_000);
      const answered = await answeredSurveys(db, id, answeredAt, TASKS);
      await service.app.get(ResponseSettler).settleDue(500);
      await service.app.get(HealthNightly).refreshAll();
      const [queued] = await db.query(
        `SELECT count(*) FILTER (WHERE operation = 'crm.create_task')::int AS tasks,
                count(*) FILTER (WHERE operation = 'crm.update_record' AND payload->>'object' = 'account')::int AS accounts,
                count(*) FILTER (WHERE operation = 'crm.update_record' AND payload->>'object' = 'contact')::int AS contacts
         FROM outbox WHERE connection_id = $1 AND status = 'pending'`,
        [id],
      );
      const started = process.hrtime.bigint();
      const report = await service.app.get(OutboxDispatcher).deliverConnection(id);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const updates = queued.accounts + queued.contacts;
      const minimum = vendor.minimum({ account: queued.accounts, contact: queued.contacts }, queued.tasks);
      const ratio = report.calls / minimum;
      console.log(
        `writeback ${vendor.kind}: updates=${updates} tasks=${queued.tasks} calls=${report.calls} minimum=${minimum} ratio=${ratio.toFixed(2)} seconds=${seconds.toFixed(1)}`,
      );
      const written = await vendor.written(sandbox.url);
      const problems = [
        answered !== TASKS && `answered ${answered}/${TASKS}`,
        queued.tasks !== TASKS && `tasks queued ${queued.tasks}/${TASKS}`,
        queued.accounts !== ACCOUNTS && `account updates queued ${queued.accounts}/${ACCOUNTS}`,
        report.delivered !== queued.tasks + updates && `delivered ${report.delivered}/${queued.tasks + updates} (failed ${report.failed}, retried ${report.retried})`,
        written.tasks !== queued.tasks && `tasks in the sandbox ${written.tasks}/${queued.tasks}`,
        written.accounts !== queued.accounts && `accounts with NPS fields in the sandbox ${written.accounts}/${queued.accounts}`,
        written.contacts !== queued.contacts && `contacts with NPS fields in the sandbox ${written.contacts}/${queued.contacts}`,
        ratio > 1.05 && `ratio ${ratio.toFixed(2)} > 1.05`,
      ].filter(Boolean);
      if (problems.length) {
        failed = true;
        console.log(`  target missed: ${problems.join('; ')}`);
      }
    } finally {
      sandbox.stop();
    }
  }
  return failed;
});
