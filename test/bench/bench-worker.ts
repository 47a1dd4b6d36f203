import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { start } from '@apps/all-in-one/src/roots';
import { HealthNightly } from '@libs/app/src/follow-ups/health-nightly';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { TaskReadback } from '@libs/app/src/follow-ups/task-readback';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { benchEnv } from './bench-support';
import { profileWorker } from './bench-profile';

/**
 * One worker process of the multi-process benchmark: `node bench-worker.js <role> <database url>
 * <connection id>`. It starts the worker (its own connector registry, its own pool), prints
 * READY, waits for "go" on stdin, does its part on the connection and prints `RESULT {json}`:
 * - sync: a full sync of the connection;
 * - settle: settles the due responses and runs the nightly health refresh, then delivers the
 *   outbox they filled (follow-up tasks, contact and account fields);
 * - readback: once our tasks are in the CRM, reads them back every READBACK_MS (the loop's
 *   schedule, shortened to fit the run) until "stop", then once more.
 */
const READBACK_MS = 5_000;

type Role = 'sync' | 'settle' | 'readback';

async function main(): Promise<void> {
  const [role, databaseUrl, connectionId] = process.argv.slice(2) as [Role, string, string];
  const profile = process.env.BENCH_PROFILE ? profileWorker() : undefined;
  const service = await start({ api: false, worker: true, sandbox: false }, benchEnv(databaseUrl));
  const lines = createInterface({ input: process.stdin });
  const said = (word: string) => new Promise<void>((resolve) => lines.on('line', (line) => line.trim() === word && resolve()));
  const go = said('go');
  const stop = said('stop');
  process.stdout.write('READY\n');
  await go;
  const started = process.hrtime.bigint();
  profile?.start();
  let result: Record<string, unknown>;
  try {
    if (role === 'sync') {
      const run = await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual', full: true });
      result = { status: run?.status, calls: run?.apiCalls, error: run?.error ?? null };
    } else if (role === 'settle') {
      const settled = await service.app.get(ResponseSettler).settleDue(500);
      const settledAt = process.hrtime.bigint();
      await service.app.get(HealthNightly).refreshAll();
      const refreshedAt = process.hrtime.bigint();
      const db = service.app.get(DataSource);
      const [queued] = await db.query(
        `SELECT count(*) FILTER (WHERE operation = 'crm.create_task')::int AS tasks,
                count(*) FILTER (WHERE operation = 'crm.update_record' AND payload->>'object' = 'account')::int AS accounts,
                count(*) FILTER (WHERE operation = 'crm.update_record' AND payload->>'object' = 'contact')::int AS contacts
         FROM outbox WHERE connection_id = $1 AND status = 'pending'`,
        [connectionId],
      );
      const report = await service.app.get(OutboxDispatcher).deliverConnection(connectionId);
      const ms = (from: bigint, to: bigint) => Math.round(Number(to - from) / 1e6);
      const phases = { settleMs: ms(started, settledAt), healthMs: ms(settledAt, refreshedAt), deliverMs: ms(refreshedAt, process.hrtime.bigint()) };
      result = { settled, queued, ...report, ...(profile ? { phases } : {}) };
    } else {
      const db = service.app.get(DataSource);
      const readback = service.app.get(TaskReadback);
      let stopped = false;
      void stop.then(() => (stopped = true));
      let reads = 0;
      const tasksInCrm = async () =>
        (await db.query(`SELECT EXISTS (SELECT 1 FROM follow_ups WHERE target_connection_id = $1 AND external_id IS NOT NULL) AS any`, [connectionId]))[0].any;
      while (!stopped) {
        if (await tasksInCrm()) {
          await readback.read(connectionId);
          reads++;
        }
        await Promise.race([new Promise((resolve) => setTimeout(resolve, READBACK_MS)), stop]);
      }
      await readback.read(connectionId);
      result = { reads: reads + 1 };
    }
  } finally {
    lines.close();
  }
  if (profile) result.profile = { wallMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6), ...profile.report(), ...(result.phases as object) };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  await service.stop();
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench-worker: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
