import { EntityManager, Not } from 'typeorm';
import { SyncMode, SyncRun } from '../entities/sync.entity';
import { returnedRows } from '../query-result';

/** A running sync's heartbeat is renewed well within this; older, its worker is gone or stuck. */
const SYNC_RUN_STALE_SECONDS = 60;

/** A run some worker stopped before it finished, as recovery hands it to a new job. */
export interface StoppedSyncRun {
  id: string;
  connectionId: string;
  mode: 'full' | 'incremental';
  trigger: 'schedule' | 'manual';
  status: 'running' | 'interrupted';
}

/** A run as the list of every connection's runs shows it. */
export interface SyncRunListRow {
  id: string;
  connectionId: string;
  connection: string;
  kind: string;
  mode: SyncMode;
  status: string;
  trigger: string;
  recordsRead: number;
  recordsCreated: number;
  recordsUpdated: number;
  recordsDeleted: number;
  recordsTotal: number | null;
  apiCalls: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
  /** Where the next page starts: "<created_at in µs>.<id>". */
  cursor: string;
}

/** pg_try_advisory_lock takes a bigint: the first 15 hex digits of the connection's uuid fit. */
function lockKey(connectionId: string): string {
  return BigInt('0x' + connectionId.replace(/-/g, '').slice(0, 15)).toString();
}

/**
 * sync_runs: one row per sync of a connection, as the workers that run them, the recovery that
 * resumes them and the admin who asks for them see them. The lock
 * is per connection and per session: the manager must be bound to one connection (a
 * QueryRunner's) for lock and unlock to meet; Postgres drops it the moment that session ends,
 * which is how a killed worker's run is told from a live one.
 */
export class SyncRunsRepository {
  constructor(private readonly db: EntityManager) {}

  async tryLock(connectionId: string): Promise<boolean> {
    const [{ locked }] = await this.db.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [lockKey(connectionId)]);
    return locked === true;
  }

  async unlock(connectionId: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(connectionId)]);
  }

  /** The run's sign of life, in the database's clock. */
  async beat(runId: string): Promise<void> {
    await this.db.query(`UPDATE sync_runs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [runId]);
  }

  /**
   * Whether the connection's latest run before `runId` was a full read that did not finish
   * (killed, stopped or failed): the next run must read in full again, or what the vendor
   * deleted meanwhile is never swept.
   */
  async unfinishedFullBefore(connectionId: string, runId: string | null): Promise<boolean> {
    const [latest] = await this.db.query(
      `SELECT mode, status FROM sync_runs WHERE connection_id = $1 AND ($2::uuid IS NULL OR id <> $2) AND status <> 'queued'
       ORDER BY coalesce(started_at, created_at) DESC LIMIT 1`,
      [connectionId, runId],
    );
    return latest?.mode === 'full' && ['running', 'interrupted', 'failed'].includes(latest.status);
  }

  /**
   * Runs to resume: `running` with no heartbeat for SYNC_RUN_STALE_SECONDS (the caller checks
   * the lock before believing its worker dead), and `interrupted` runs (a worker stopping) that
   * are still their connection's latest. Connections deleted, disabled or paused wait.
   */
  async stopped(): Promise<StoppedSyncRun[]> {
    const rows: Array<{ id: string; connection_id: string; mode: StoppedSyncRun['mode']; trigger: StoppedSyncRun['trigger']; status: StoppedSyncRun['status'] }> =
      await this.db.query(
        `SELECT r.id, r.connection_id, r.mode, r.trigger, r.status FROM sync_runs r JOIN connections c ON c.id = r.connection_id
         WHERE c.deleted_at IS NULL AND c.status <> 'disabled' AND (c.paused_until IS NULL OR c.paused_until <= now())
           AND r.resumed_at IS NULL
           AND ((r.status = 'running' AND coalesce(r.heartbeat_at, r.started_at, r.created_at) < now() - $1 * interval '1 second')
             OR (r.status = 'interrupted' AND NOT EXISTS (
                   SELECT 1 FROM sync_runs later WHERE later.connection_id = r.connection_id AND later.id <> r.id
                     AND later.status <> 'queued' AND later.created_at > r.created_at)))
         ORDER BY r.created_at`,
        [SYNC_RUN_STALE_SECONDS],
      );
    return rows.map((r) => ({ id: r.id, connectionId: r.connection_id, mode: r.mode, trigger: r.trigger, status: r.status }));
  }

  /** Seconds until the freshest-looking running run would turn stale; null when none runs. */
  async secondsUntilNextStale(): Promise<number | null> {
    const [row] = await this.db.query(
      `SELECT extract(epoch FROM min(coalesce(heartbeat_at, started_at, created_at)) + $1 * interval '1 second' - now())::float AS seconds
       FROM sync_runs WHERE status = 'running'`,
      [SYNC_RUN_STALE_SECONDS],
    );
    return row?.seconds === null || row?.seconds === undefined ? null : Math.max(0, Number(row.seconds));
  }

  /**
   * A dead worker's run, claimed for resuming once across all workers: `interrupted`, with why.
   * Call while holding its connection's lock. False when another worker claimed it first.
   */
  async interruptDead(runId: string, reason: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE sync_runs SET status = 'interrupted', finished_at = now(), resumed_at = now(), error = $2
       WHERE id = $1 AND status = 'running' AND resumed_at IS NULL RETURNING id`,
      [runId, reason],
    );
    return returnedRows(result).length > 0;
  }

  /** An interrupted run, claimed for resuming once across all workers. */
  async markResumed(runId: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE sync_runs SET resumed_at = now() WHERE id = $1 AND status = 'interrupted' AND resumed_at IS NULL RETURNING id`, [runId]);
    return returnedRows(result).length > 0;
  }

  /** A run some earlier worker left 'running' did not finish (the caller holds the lock it held): it was interrupted. */
  async interruptLeftRunning(connectionId: string, finishedAt: Date, error: string): Promise<void> {
    await this.db.update(SyncRun, { connectionId, status: 'running' }, { status: 'interrupted', finishedAt, error });
  }

  async findById(runId: string): Promise<SyncRun | null> {
    return this.db.getRepository(SyncRun).findOneBy({ id: runId });
  }

  /** The run starts: the queued run the request names, or a new one. */
  async start(queued: SyncRun | null, run: { connectionId: string; trigger: string; mode: SyncMode; startedAt: Date }): Promise<SyncRun> {
    const runs = this.db.getRepository(SyncRun);
    return runs.save(
      Object.assign(queued ?? runs.create({ connectionId: run.connectionId, trigger: run.trigger }), {
        status: 'running' as const,
        mode: run.mode,
        startedAt: run.startedAt,
      }),
    );
  }

  /** An on-demand sync, queued until a worker takes it. */
  async queue(connectionId: string, trigger: string, mode: SyncMode): Promise<SyncRun> {
    const runs = this.db.getRepository(SyncRun);
    return runs.save(runs.create({ connectionId, trigger, mode, status: 'queued' }));
  }

  async recordFinish(runId: string, finish: Pick<SyncRun, 'status' | 'mode' | 'error' | 'apiCalls' | 'finishedAt' | 'durationMs'>): Promise<void> {
    await this.db.getRepository(SyncRun).update(runId, finish);
  }

  /** Whether the connection had a successful full sync before this one: the first is followed by a plan at once. */
  async hadEarlierFullSuccess(connectionId: string, runId: string): Promise<boolean> {
    return this.db.getRepository(SyncRun).existsBy({ connectionId, status: 'succeeded', mode: 'full', id: Not(runId) });
  }

  /** The connection's latest runs, newest first. */
  async latestOf(connectionId: string, limit: number): Promise<SyncRun[]> {
    return this.db.getRepository(SyncRun).find({ where: { connectionId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Each of these connections' latest run (a connection never synced has none). */
  async latestOfEach(connectionIds: string[]): Promise<SyncRun[]> {
    if (!connectionIds.length) return [];
    return this.db.query(
      `SELECT DISTINCT ON (connection_id) id, connection_id AS "connectionId", mode, status, trigger, stream_stats AS "streamStats",
              records_read AS "recordsRead", records_created AS "recordsCreated", records_updated AS "recordsUpdated", records_deleted AS "recordsDeleted",
              records_total AS "recordsTotal", api_calls AS "apiCalls", started_at AS "startedAt", finished_at AS "finishedAt",
              duration_ms AS "durationMs", error, created_at AS "createdAt"
       FROM sync_runs WHERE connection_id = ANY($1::uuid[]) ORDER BY connection_id, created_at DESC`,
      [connectionIds],
    );
  }

  /**
   * One page of every connection's runs, newest first, older than `before` when given. `cursor`
   * is the run's position (creation time in microseconds and id), exact where a Date would round.
   */
  async page(before: { createdMicros: string; id: string } | null, limit: number): Promise<SyncRunListRow[]> {
    return this.db.query(
      `SELECT r.id, r.connection_id AS "connectionId", c.name AS connection, c.kind, r.mode, r.status, r.trigger,
              r.records_read AS "recordsRead", r.records_created AS "recordsCreated", r.records_updated AS "recordsUpdated",
              r.records_deleted AS "recordsDeleted", r.records_total AS "recordsTotal", r.api_calls AS "apiCalls",
              r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.duration_ms AS "durationMs", r.error, r.created_at AS "createdAt",
              ((extract(epoch FROM r.created_at) * 1000000)::bigint)::text || '.' || r.id AS cursor
       FROM sync_runs r JOIN connections c ON c.id = r.connection_id
       WHERE $1::bigint IS NULL OR (r.created_at, r.id) < (timestamptz 'epoch' + $1::bigint * interval '1 microsecond', $2::uuid)
       ORDER BY r.created_at DESC, r.id DESC LIMIT $3`,
      [before?.createdMicros ?? null, before?.id ?? null, limit],
    );
  }

  /** How many ARR history points the run stored (stream_stats.arr_history). */
  async recordArrHistoryCount(runId: string, created: number): Promise<void> {
    await this.db.query(`UPDATE sync_runs SET stream_stats = jsonb_set(stream_stats, '{arr_history}', jsonb_build_object('created', $2::int)) WHERE id = $1`, [runId, created]);
  }

  /** Adds a page's counts to the run and its stream; `total` is given with a stream's first page, when the vendor tells the size of the read. */
  async addPageCounts(runId: string, stream: string, counts: { read: number; created: number; updated: number; deleted: number }, total: number | null): Promise<void> {
    await this.db.query(
      `UPDATE sync_runs SET records_read = records_read + $2, records_created = records_created + $3,
              records_updated = records_updated + $4, records_deleted = records_deleted + $5,
              records_total = CASE WHEN $6::int IS NULL THEN records_total ELSE coalesce(records_total, 0) + $6::int END, heartbeat_at = now(),
              stream_stats = jsonb_set(stream_stats, ARRAY[$7::text], jsonb_build_object(
                'read', coalesce((stream_stats->$7->>'read')::int, 0) + $2,
                'created', coalesce((stream_stats->$7->>'created')::int, 0) + $3,
                'updated', coalesce((stream_stats->$7->>'updated')::int, 0) + $4,
                'deleted', coalesce((stream_stats->$7->>'deleted')::int, 0) + $5,
                'total', coalesce($6::int, (stream_stats->$7->>'total')::int)))
       WHERE id = $1`,
      [runId, counts.read, counts.created, counts.updated, counts.deleted, total, stream],
    );
  }
}
