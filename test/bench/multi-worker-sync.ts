import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Launched } from '@apps/all-in-one/src/roots';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { CLOCK } from '@libs/config/src';
import { SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { answeredSurveys, httpJson, meteredHubSpotSandbox } from './bench-support';

/**
 * The multi-process run of `npm run bench:sync`: three worker processes spend one HubSpot
 * connection's budget (190 per rolling 10 s) at the same time. A connection's sync runs in one
 * worker at a time (its lock), so the three do the three kinds of work that share a
 * connection's budget: a full sync of 20,000 accounts in one, the settling of 1,000 responses
 * and the nightly health refresh with the delivery of the tasks and fields they queue in
 * another, the task read-back in the third. The sandbox, behind a meter, counts arrivals in every rolling 10 s and the 429s.
 */
const BUDGET = 190;
const TASKS = Number(process.env.BENCH_MULTI_RESPONSES ?? 1_000);
const ceil = (n: number, page: number) => (n === 0 ? 0 : Math.ceil(n / page));

interface Worker<R = unknown> {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<R>;
  say(word: string): void;
}

/** What bench-worker prints per role. */
interface Profiled {
  profile?: Record<string, number | string>;
}
interface SyncResult extends Profiled {
  status?: string;
  error: string | null;
}
interface SettleResult extends Profiled {
  settled: number;
  queued: { tasks: number; accounts: number; contacts: number };
  delivered: number;
}
interface ReadbackResult extends Profiled {
  reads: number;
}

function worker<R>(role: string, databaseUrl: string, connectionId: string): Worker<R> {
  const child = spawn(process.execPath, [join(__dirname, 'bench-worker.js'), role, databaseUrl, connectionId], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<R>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (/^READY$/m.test(out)) markReady();
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice('RESULT '.length)));
    });
    child.on('exit', (code) => reject(new Error(`bench-worker ${role} exited with ${code}`)));
  });
  // A worker that dies before its result is awaited must fail the run through the awaiting code
  // (whose finally stops the other workers and the sandbox), not as an unhandled rejection.
  result.catch(() => undefined);
  return { child, ready, result, say: (word) => child.stdin!.write(`${word}\n`) };
}

export async function multiWorkerSync(service: Launched, databaseUrl: string, accounts: number): Promise<boolean> {
  const db = service.app.get(DataSource);
  const sandbox = await meteredHubSpotSandbox(accounts, { npsFields: true });
  const workers: Worker[] = [];
  try {
    const credentials = { authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: sandbox.url };
    const [{ id }] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, settings, status) VALUES ('hubspot', 'bench hubspot, three workers', $1, $2, 'active') RETURNING id`,
      [service.app.get(ConnectorBuilder).encrypt(credentials), { roleMapping: { 'End User': 'end_user' } }],
    );
    // The accounts and contacts the responses come from (not measured).
    const first = await service.app.get(CrmSyncService).run({ connectionId: id, trigger: 'manual' });
    if (first?.status !== 'succeeded') throw new Error(`the sync before the multi-process run ended ${first?.status}`);
    const answered = await answeredSurveys(db, id, new Date(service.app.get(CLOCK).now().getTime() - 3600_000), TASKS);

    const sync = worker<SyncResult>('sync', databaseUrl, id);
    const settler = worker<SettleResult>('settle', databaseUrl, id);
    const reader = worker<ReadbackResult>('readback', databaseUrl, id);
    workers.push(sync, settler, reader);
    await Promise.all(workers.map((w) => w.ready));
    await httpJson(`${sandbox.url}/_bench/reset`, {});
    const started = process.hrtime.bigint();
    for (const w of workers) w.say('go');
    const [synced, settle] = await Promise.all([sync.result, settler.result]);
    reader.say('stop');
    const readback = await reader.result;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const meter = await httpJson<{ calls: number; http429: number; maxIn10s: number; per10s: string; cpuMs: number }>(`${sandbox.url}/_bench/meter`);

    const c = await httpJson<Record<string, number>>(`${sandbox.url}/_sandbox/counts`);
    // The full sync's minimum (as the single-process run), the outbox's batches of 100, one search per read-back.
    const syncMinimum = 2 * ceil(c.companies, 100) + ceil(c.contacts, 100) + 2 + 2 + ceil(c.companies, 50);
    const q = settle.queued;
    const minimum = syncMinimum + ceil(q.tasks, 100) + ceil(q.accounts, 100) + ceil(q.contacts, 100) + readback.reads;
    const rate = meter.calls / seconds;
    console.log(
      `workers=3 max_calls_10s=${meter.maxIn10s} budget=${BUDGET} http_429=${meter.http429} calls=${meter.calls} minimum=${minimum} ` +
        `ratio=${(meter.calls / minimum).toFixed(2)} seconds=${seconds.toFixed(1)}`,
    );
    const problems = [
      synced.status !== 'succeeded' && `sync ${synced.status}: ${synced.error}`,
      answered !== TASKS && `answered ${answered}/${TASKS}`,
      settle.settled !== TASKS && `settled ${settle.settled}/${TASKS}`,
      settle.delivered !== q.tasks + q.accounts + q.contacts && `delivered ${settle.delivered}/${q.tasks + q.accounts + q.contacts}`,
      meter.maxIn10s > BUDGET && `max_calls_10s ${meter.maxIn10s} > ${BUDGET}`,
      meter.http429 > 0 && `http_429 ${meter.http429}`,
      rate < 0.9 * (BUDGET / 10) && `throughput ${rate.toFixed(1)}/s < 90 % of ${BUDGET / 10}/s`,
    ].filter(Boolean);
    if (problems.length) console.log(`  target missed: ${problems.join('; ')}`);
    // BENCH_PROFILE=1: each worker's wall time, slot waits, request and transaction time (bench-profile.ts).
    for (const [role, result] of [
      ['sync', synced],
      ['settle', settle],
      ['readback', readback],
    ] as const) {
      if (result.profile) console.log(`  profile ${role}: ${JSON.stringify(result.profile)}`);
    }
    if (synced.profile) console.log(`  profile sandbox: calls per 10 s ${meter.per10s}; cpuMs ${meter.cpuMs}`);
    return problems.length > 0;
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    sandbox.stop();
  }
}
