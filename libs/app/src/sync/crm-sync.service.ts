import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorBuilder } from '../connections/connector-builder';
import { CRM_STREAMS, CrmConnector, CrmStream, readAhead, VendorError } from '@connectors/core/src';
import { Connection, SyncMode, SyncRun } from '@libs/db/src';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { SyncCursorsRepository } from '@libs/db/src/repositories/sync-cursors.repository';
import { SyncRunsRepository } from '@libs/db/src/repositories/sync-runs.repository';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { roleMapping, Role } from '@libs/nps/src';
import { syncArrHistory } from './arr-history-sync';
import { PAGES_AHEAD, PageCounts, recordsOfStream, resolveReferences, writePage } from './sync-page-writer';

export interface SyncRequest {
  connectionId: string;
  trigger: 'schedule' | 'manual';
  /** Force a full read of every stream (default: full only for streams never read in full). */
  full?: boolean;
  /** An existing queued run to fill in (on-demand syncs create it when enqueuing). */
  runId?: string;
}

const DEFAULT_BUDGET_SHARE = 0.5;
const BUDGET_PAUSE_MS = 60 * 60 * 1000;
/** A running sync stamps its heartbeat this often (and with every page), well inside SYNC_RUN_STALE_SECONDS. */
const SYNC_HEARTBEAT_MS = 15_000;

/** The connection was deleted while its sync ran: the run ends, nothing more is written for it. */
class ConnectionRemoved extends Error {}

/** Thrown inside a run to stop it between pages: the budget is spent, or the worker stops. */
class StopRun extends Error {
  constructor(
    readonly status: 'paused' | 'interrupted',
    message: string,
  ) {
    super(message);
  }
}

/**
 * One sync of one CRM connection: each stream is read page by page; each page's records, its
 * cursor and the run's counters commit in one transaction, so a crash resumes from the last
 * committed page with no loss and no duplicate. A full read (first run, or on demand) restarts
 * from the beginning if interrupted and, once complete, soft-deletes what it did not see.
 */
@Injectable()
export class CrmSyncService {
  private readonly logger = new Logger('CrmSync');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly builder: ConnectorBuilder,
    private readonly jobs: JobQueue,
  ) {}

  async run(request: SyncRequest, signal?: AbortSignal): Promise<SyncRun | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const lock = new SyncRunsRepository(runner.manager);
      if (!(await lock.tryLock(request.connectionId))) {
        this.logger.log({ connectionId: request.connectionId }, 'a sync of this connection is already running; skipped');
        return undefined;
      }
      try {
        return await this.runLocked(request, signal);
      } finally {
        await lock.unlock(request.connectionId);
      }
    } finally {
      await runner.release();
    }
  }

  private async runLocked(request: SyncRequest, signal?: AbortSignal): Promise<SyncRun | undefined> {
    const connection = await this.builder.loadWithCredentials(request.connectionId);
    if (!connection) return undefined;
    const runRecords = new SyncRunsRepository(this.dataSource.manager);
    // A run left 'running' by a crashed worker did not finish (we hold the lock it held): say so.
    await runRecords.interruptLeftRunning(connection.id, new Date(), 'the worker stopped during this run; the next run resumed it');
    // A full read that did not finish is read in full again, whatever asked for this run.
    const full = !!request.full || (await runRecords.unfinishedFullBefore(connection.id, request.runId ?? null));
    const started = new Date();
    const queued = request.runId ? await runRecords.findById(request.runId) : null;
    const mode: SyncMode = full || (await new SyncCursorsRepository(this.dataSource.manager).neverReadInFull(connection.id, CRM_STREAMS)) ? 'full' : 'incremental';
    const run = await runRecords.start(queued, { connectionId: connection.id, trigger: request.trigger, mode, startedAt: started });
    await runRecords.beat(run.id);
    const heartbeat = setInterval(() => {
      runRecords.beat(run.id).catch((error: Error) => this.logger.warn({ runId: run.id, error: error.message }, 'sync heartbeat not recorded'));
    }, SYNC_HEARTBEAT_MS);
    try {
      return await this.runWithHeartbeat(connection, run, { ...request, full }, started, signal);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async runWithHeartbeat(connection: Connection, run: SyncRun, request: SyncRequest, started: Date, signal?: AbortSignal): Promise<SyncRun> {
    let connector: CrmConnector | undefined;
    try {
      const built = this.builder.build(connection);
      connector = built.connector;
      const mapping = roleMapping((built.settings.roleMapping ?? {}) as Record<string, Role>);
      const share = Number(built.settings.dailyBudgetShare ?? DEFAULT_BUDGET_SHARE);
      let anyFull = false;
      for (const stream of CRM_STREAMS) {
        const full = await this.syncStream(connection, run, connector, stream, { full: !!request.full, mapping, share, signal });
        anyFull = full || anyFull;
        if (stream === 'accounts') await this.syncArrHistory(connection, run, connector, full, share, signal);
      }
      await resolveReferences(this.dataSource.manager, connection.id);
      run.mode = anyFull || request.full ? 'full' : 'incremental';
      run.status = 'succeeded';
      await this.setConnectionStatus(connection, 'active', null, connector);
    } catch (caught) {
      // A stop requested mid-page surfaces from the connector as the abort reason itself.
      const error = signal?.aborted && !(caught instanceof StopRun) ? new StopRun('interrupted', 'the worker is stopping; the next run resumes') : caught;
      run.error = error instanceof Error ? error.message : String(error);
      if (error instanceof StopRun) {
        run.status = error.status;
        if (error.status === 'paused') {
          await this.setConnectionStatus(connection, 'paused', error.message, connector, new Date(Date.now() + BUDGET_PAUSE_MS));
        } else {
          await this.finish(run, connector, started);
          throw error; // the queue runs the job again after the restart; committed pages are kept
        }
      } else if (error instanceof ConnectionRemoved) {
        run.status = 'failed'; // not retried: there is nothing left to sync into
      } else if (error instanceof VendorError && error.kind === 'auth') {
        run.status = 'failed';
        await this.setConnectionStatus(connection, 'auth_failed', error.message, connector);
      } else {
        run.status = 'failed';
        await this.setConnectionStatus(connection, 'error', run.error, connector);
        await this.finish(run, connector, started);
        throw error; // transient vendor trouble: the queue retries with backoff
      }
    }
    return this.finish(run, connector, started);
  }

  private async finish(run: SyncRun, connector: CrmConnector | undefined, started: Date): Promise<SyncRun> {
    const finishedAt = new Date();
    const runs = new SyncRunsRepository(this.dataSource.manager);
    await runs.recordFinish(run.id, {
      status: run.status,
      mode: run.mode,
      error: run.status === 'succeeded' ? null : run.error,
      apiCalls: connector?.apiCalls() ?? 0,
      finishedAt,
      durationMs: finishedAt.getTime() - started.getTime(),
    });
    const saved = (await runs.findById(run.id))!;
    await this.planAfterFirstFullSync(saved);
    this.logger.log(
      {
        connectionId: run.connectionId,
        runId: run.id,
        status: saved.status,
        read: saved.recordsRead,
        created: saved.recordsCreated,
        updated: saved.recordsUpdated,
        deleted: saved.recordsDeleted,
        apiCalls: saved.apiCalls,
        durationMs: saved.durationMs,
      },
      `sync ${saved.status}`,
    );
    return saved;
  }

  /**
   * Plans after data (rules §4): a new connection's first plan runs as soon as its
   * first full sync completes, not at the next daily slot.
   */
  private async planAfterFirstFullSync(run: SyncRun): Promise<void> {
    if (run.status !== 'succeeded' || run.mode !== 'full') return;
    const earlier = await new SyncRunsRepository(this.dataSource.manager).hadEarlierFullSuccess(run.connectionId, run.id);
    if (earlier) return;
    const day = new Date().toISOString().slice(0, 10);
    await this.jobs.enqueue(QUEUE.planRelational, { day, after: 'first_full_sync', connectionId: run.connectionId }, { singletonKey: `first-sync:${run.connectionId}` });
  }

  /** Returns true when the stream was read in full. */
  private async syncStream(
    connection: Connection,
    run: SyncRun,
    connector: CrmConnector,
    stream: CrmStream,
    options: { full: boolean; mapping: ReturnType<typeof roleMapping>; share: number; signal?: AbortSignal },
  ): Promise<boolean> {
    const cursors = new SyncCursorsRepository(this.dataSource.manager);
    const saved = await cursors.find(connection.id, stream);
    const full = options.full || !saved?.fullSyncCompletedAt;
    // The database's clock, since last_seen_at is stamped by it.
    const fullStartedAt = await cursors.databaseNow();
    await cursors.startRead(connection.id, stream, saved?.cursor ?? null, full ? fullStartedAt : null);
    let readSoFar = 0;
    let pages = 0;
    let latestCursor: string | null = full ? null : (saved?.cursor ?? null);
    // The next pages are read (their calls spend the shared budget) while this one is written.
    const read = readAhead((reading) => connector.read(stream, { since: full ? null : (saved?.cursor ?? null), signal: reading }), options.signal, { depth: PAGES_AHEAD });
    for await (const page of read) {
      if (page.cursor && (!latestCursor || page.cursor > latestCursor)) latestCursor = page.cursor;
      await this.dataSource.transaction(async (db) => {
        // Held until the page commits: a removal waits for it (and then removes what it wrote), and
        // a page read after the removal writes nothing, so deleted records never come back.
        if (!(await new ConnectionsRepository(db).holdLive(connection.id))) throw new ConnectionRemoved('the connection was removed during the sync');
        const counts = await writePage(db, connection.id, page, options.mapping);
        // Incremental reads are ordered by modification time, so the cursor can move with each
        // page. A full read is not: its cursor is kept only when it completes.
        if (!full) await new SyncCursorsRepository(db).advance(connection.id, stream, latestCursor);
        await this.addCounts(db, run, stream, counts, pages === 0 ? page.total : undefined);
      });
      pages++;
      readSoFar += page.upserts.length + page.deletions.length;
      const percent = page.total ? Math.min(100, Math.round((readSoFar / page.total) * 100)) : undefined;
      this.logger.log({ connectionId: connection.id, runId: run.id, stream, records: readSoFar, total: page.total, percent }, 'sync progress');
      this.checkBudget(connector, options.share);
      if (options.signal?.aborted) throw new StopRun('interrupted', 'the worker is stopping; the next run resumes');
    }
    if (!full) return false;
    await this.dataSource.transaction(async (db) => {
      // A stream the vendor does not read on its own (HubSpot roles arrive with accounts and
      // contacts) yields no page, and must not sweep what the other streams wrote.
      const swept = pages > 0 ? await recordsOfStream(db, stream).sweepUnseen(connection.id, fullStartedAt) : 0;
      await new SyncCursorsRepository(db).completeFullRead(connection.id, stream, latestCursor, new Date());
      if (swept) await this.addCounts(db, run, stream, { read: 0, created: 0, updated: 0, deleted: swept });
    });
    return true;
  }

  /** The CRM's ARR history for the accounts just read (arr-history-sync.ts), counted under stream_stats.arr_history. */
  private async syncArrHistory(connection: Connection, run: SyncRun, connector: CrmConnector, full: boolean, share: number, signal?: AbortSignal): Promise<void> {
    const stored = await syncArrHistory(this.dataSource, connector, {
      connectionId: connection.id,
      full,
      signal,
      between: () => {
        this.checkBudget(connector, share);
        if (signal?.aborted) throw new StopRun('interrupted', 'the worker is stopping; the next run resumes');
      },
    });
    await new SyncRunsRepository(this.dataSource.manager).recordArrHistoryCount(run.id, stored);
  }

  /** `total` is given with a stream's first page, when the vendor tells the size of the read. */
  private async addCounts(db: EntityManager, run: SyncRun, stream: CrmStream, counts: PageCounts, total?: number): Promise<void> {
    await new SyncRunsRepository(db).addPageCounts(run.id, stream, counts, total ?? null);
  }

  private checkBudget(connector: CrmConnector, share: number): void {
    const usage = connector.apiUsage();
    if (!usage || !usage.limit) return;
    const used = usage.used / usage.limit;
    if (used >= share) {
      throw new StopRun(
        'paused',
        `API usage ${usage.used}/${usage.limit} (${(used * 100).toFixed(1)} %) passed this connection's budget of ${(share * 100).toFixed(0)} % of the daily allocation; sync resumes in an hour`,
      );
    }
  }

  private async setConnectionStatus(
    connection: Connection,
    status: Connection['status'],
    reason: string | null,
    connector: CrmConnector | undefined,
    pausedUntil: Date | null = null,
  ): Promise<void> {
    const usage = connector?.apiUsage();
    await new ConnectionsRepository(this.dataSource.manager).recordStatus(connection.id, {
      status,
      statusReason: reason,
      pausedUntil,
      ...(connection.status !== status ? { statusChangedAt: new Date() } : {}),
      ...(usage ? { lastApiUsage: { ...usage, at: new Date().toISOString() } } : {}),
    });
  }
}
