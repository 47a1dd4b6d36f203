import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { crmConnectorFactory } from '@connectors/core/registry';
import { CrmConnector, CrmTaskMatch, CrmWriteResult, HelpdeskConnector, mayHaveBeenApplied, VendorError } from '@connectors/core/src';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountHealthRepository } from '@libs/db/src/repositories/account-health.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { ClaimedMessage, OutboxOperation, OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { AlertDelivery } from '../alerts/alert-delivery';
import { ConnectorBuilder } from '../connections/connector-builder';
import { CreateTaskPayload, CreateTicketPayload, UpdateRecordPayload, WriteBackPayload } from '../follow-ups/follow-up-planner';

/** Rows claimed per call: a multiple of both CRMs' batch sizes (200, 100), so batches stay full. */
const CRM_CLAIM = 1000;
const HELPDESK_CLAIM = 50;
/** How far before an ambiguous create we look for what it may have made (clock skew). */
const LOOKBACK_MS = 5 * 60_000;

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
  /** Vendor API calls spent (auth included). */
  calls: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Delivers the outbox: claims due rows per connection (safe across workers), writes them in the
 * vendor's largest batches, and records each outcome. Success stores the vendor's id; a refusal
 * that would repeat fails the row with the vendor's words; anything else is retried with
 * backoff. A create whose outcome is unknown (5xx after sending, a worker that died mid-call) is
 * looked for in the vendor before it is sent again, so a CSM never gets a task twice.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly builder: ConnectorBuilder,
    private readonly alerts: AlertDelivery,
  ) {}

  private get outbox(): OutboxRepository {
    return new OutboxRepository(this.db.manager);
  }

  /** Everything due now, connection by connection, until nothing due is left. */
  async deliverDue(): Promise<DeliveryReport> {
    const total: DeliveryReport = { delivered: 0, retried: 0, failed: 0, calls: 0 };
    for (const connectionId of await this.outbox.connectionsDue(this.clock.now())) {
      let report: DeliveryReport;
      try {
        report = await this.deliverConnection(connectionId);
      } catch (error) {
        // One connection that cannot be built (credentials unreadable, say) must not hold up the others.
        this.logger.error({ connectionId, error: message(error) }, 'outbox not delivered for this connection; next tick retries');
        continue;
      }
      total.delivered += report.delivered;
      total.retried += report.retried;
      total.failed += report.failed;
      total.calls += report.calls;
    }
    // Alert emails and webhook posts (rules §9) belong to no connection: delivered after the vendor writes.
    const alerts = await this.alerts.deliverDue();
    total.delivered += alerts.delivered;
    total.retried += alerts.retried;
    total.failed += alerts.failed;
    return total;
  }

  async deliverConnection(connectionId: string): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0, calls: 0 };
    const connection = await this.builder.loadWithCredentials(connectionId);
    if (!connection || connection.deletedAt || connection.status === 'disabled') return report;
    let spent: () => number;
    if (crmConnectorFactory(connection.kind)) {
      const connector = this.builder.build(connection).connector;
      const before = connector.apiCalls();
      spent = () => connector.apiCalls() - before;
      for (const object of ['account', 'contact'] as const) {
        await this.drain<UpdateRecordPayload>(connectionId, 'crm.update_record', CRM_CLAIM, report, (rows) => this.updateRecords(connector, object, rows), object);
      }
      await this.drain<CreateTaskPayload>(connectionId, 'crm.create_task', CRM_CLAIM, report, (rows) => this.createTasks(connector, rows));
    } else {
      const connector = this.builder.buildHelpdesk(connection).connector;
      const before = connector.apiCalls();
      spent = () => connector.apiCalls() - before;
      await this.drain<WriteBackPayload>(connectionId, 'helpdesk.write_back', HELPDESK_CLAIM, report, (rows) => this.writeBack(connector, rows));
      await this.drain<CreateTicketPayload>(connectionId, 'helpdesk.create_ticket', HELPDESK_CLAIM, report, (rows) => this.createTickets(connector, rows));
    }
    report.calls = spent();
    if (report.delivered || report.retried || report.failed) this.logger.log({ connectionId, ...report }, 'outbox delivered');
    return report;
  }

  /**
   * Claims and delivers batches of one operation until none is due; an unexpected error retries
   * the whole batch. A batch's outcomes are committed while the next batch is claimed and sent,
   * so the vendor's budget (shared with the other workers) does not sit idle during the commit;
   * the commits stay in batch order. A batch with a retry stops the drain once it is recorded
   * (the vendor is struggling: the rest waits for its backoff). If a commit fails, the batch sent
   * meanwhile stays claimed and is offered again after the claim timeout, as after a worker
   * that died mid-call (a create is then looked for before it is sent again).
   */
  private async drain<P>(
    connectionId: string,
    operation: OutboxOperation,
    limit: number,
    report: DeliveryReport,
    deliver: (rows: ClaimedMessage<P>[]) => Promise<Outcome[]>,
    object?: 'account' | 'contact',
  ): Promise<void> {
    let recording: Promise<void> | undefined;
    try {
      for (;;) {
        const rows = await this.outbox.claim<P>(connectionId, operation, limit, this.clock.now(), object);
        if (rows.length === 0) {
          if (!recording) return;
          // A record's newer update is held back while its earlier one is out: due once that batch commits.
          await recording;
          recording = undefined;
          continue;
        }
        let outcomes: Outcome[];
        try {
          outcomes = await deliver(rows);
        } catch (error) {
          const unknown = operation !== 'crm.update_record' && mayHaveBeenApplied(error);
          outcomes = rows.map((row) => ({ row, retry: message(error), outcomeUnknown: unknown }));
          this.logger.warn({ connectionId, operation, rows: rows.length, error: message(error) }, 'outbox batch not delivered; retried after backoff');
        }
        await recording;
        recording = this.recordBatch(outcomes, report);
        // Awaited on the next turn (or below); handled here so a failing commit cannot go unhandled meanwhile.
        recording.catch(() => undefined);
        if (outcomes.some((o) => o.retry !== undefined)) return;
      }
    } finally {
      await recording;
    }
  }

  /** One transaction per batch, not per row: a batch of 1,000 outcomes is one commit, its deliveries one statement each. */
  private recordBatch(outcomes: Outcome[], report: DeliveryReport): Promise<void> {
    return this.db.transaction(async (tx) => {
      const delivered = outcomes.flatMap((o) => (o.externalId !== undefined ? [{ row: o.row, externalId: o.externalId }] : []));
      await new OutboxRepository(tx).deliveredAll(
        delivered.map((d) => ({ id: d.row.id, externalId: d.externalId })),
        this.clock.now(),
      );
      await new FollowUpsRepository(tx).markAllCreated(delivered.flatMap((d) => (d.row.followUpId && d.externalId ? [{ id: d.row.followUpId, externalId: d.externalId }] : [])));
      report.delivered += delivered.length;
      for (const outcome of outcomes) if (outcome.externalId === undefined) await this.record(tx, outcome, report);
    });
  }

  /** A batch's outcome other than delivered (recordBatch writes those together). */
  private async record(tx: EntityManager, outcome: Outcome, report: DeliveryReport): Promise<void> {
    const { row } = outcome;
    const now = this.clock.now();
    const outbox = new OutboxRepository(tx);
    const followUps = new FollowUpsRepository(tx);
    if (outcome.fail !== undefined) {
      await outbox.failed(row.id, outcome.fail);
      if (row.followUpId) await followUps.markFailed(row.followUpId, outcome.fail);
      if (row.operation === 'crm.update_record') await this.forgetQueued(tx, row as ClaimedMessage<UpdateRecordPayload>);
      this.logger.warn({ outboxId: row.id, operation: row.operation, error: outcome.fail }, 'vendor refused a write; not retried');
      report.failed++;
    } else {
      const state = await outbox.retry(row.id, row.attempts, outcome.retry ?? 'unknown error', now, outcome.outcomeUnknown);
      // A record updated again while this write was out: the newer pending update carries both.
      if (state === 'merged') this.logger.log({ outboxId: row.id, operation: row.operation }, "failed field update merged into its record's newer pending update");
      if (row.followUpId) await followUps.noteRetry(row.followUpId, outcome.retry);
      report.retried++;
    }
  }

  /**
   * A refused field update is no longer "queued": forgetting it lets the next health refresh
   * queue the values again (after the admin created the field, say).
   */
  private async forgetQueued(tx: EntityManager, row: ClaimedMessage<UpdateRecordPayload>): Promise<void> {
    const refused = Object.keys(row.payload.fields);
    if (row.payload.object === 'account') await new AccountHealthRepository(tx).forgetQueuedFields(row.connectionId, row.payload.externalId, refused);
    else await new ContactsRepository(tx).forgetQueuedNpsFields(row.connectionId, row.payload.externalId, refused);
  }

  private async updateRecords(connector: CrmConnector, object: 'account' | 'contact', rows: ClaimedMessage<UpdateRecordPayload>[]): Promise<Outcome[]> {
    const results = await connector.updateRecords(
      object,
      rows.map((r) => ({ externalId: r.payload.externalId, fields: r.payload.fields })),
    );
    return rows.map((row, i) => fromResult(row, results[i]));
  }

  private async createTasks(connector: CrmConnector, rows: ClaimedMessage<CreateTaskPayload>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const toCreate: ClaimedMessage<CreateTaskPayload>[] = [];
    const uncertain = rows.filter((r) => r.outcomeUnknownSince);
    const found = uncertain.length ? await this.findCreatedTasks(connector, uncertain) : new Map<string, string>();
    for (const row of rows) {
      const id = found.get(row.id);
      if (id) outcomes.push({ row, externalId: id });
      else toCreate.push(row);
    }
    if (toCreate.length) {
      const results = await connector.createTasks(toCreate.map((r) => ({ ...r.payload.task, due: new Date(r.payload.task.due) })));
      outcomes.push(...toCreate.map((row, i) => fromResult(row, results[i])));
    }
    return outcomes;
  }

  /** Tasks an ambiguous create may have made, matched by subject, due date, contact and account. */
  private async findCreatedTasks(connector: CrmConnector, rows: ClaimedMessage<CreateTaskPayload>[]): Promise<Map<string, string>> {
    const since = new Date(Math.min(...rows.map((r) => r.outcomeUnknownSince!.getTime())) - LOOKBACK_MS);
    const taken = new Set<string>(await new FollowUpsRepository(this.db.manager).externalIdsTouchedSince(rows[0].connectionId, since));
    const candidates: CrmTaskMatch[] = [];
    for await (const page of connector.findTasksCreatedSince(since)) candidates.push(...page);
    const found = new Map<string, string>();
    for (const row of rows) {
      const task = row.payload.task;
      const match = candidates.find(
        (m) =>
          !taken.has(m.externalId) &&
          m.subject === task.subject &&
          m.dueDate === task.due.slice(0, 10) &&
          (m.contactExternalId === null || m.contactExternalId === task.contactExternalId) &&
          (m.accountExternalId === null || m.accountExternalId === task.accountExternalId),
      );
      if (match) {
        taken.add(match.externalId);
        found.set(row.id, match.externalId);
      }
    }
    if (found.size) this.logger.log({ found: found.size, looked: rows.length }, 'tasks whose create had no answer were found in the CRM; not created again');
    return found;
  }

  private writeBack(connector: HelpdeskConnector, rows: ClaimedMessage<WriteBackPayload>[]): Promise<Outcome[]> {
    return oneAtATime(rows, async (row) => {
      const p = row.payload;
      const [existing] = row.outcomeUnknownSince ? await connector.findTicketsByExternalId(p.externalId) : [];
      if (existing) return existing;
      const result = await connector.writeBackToTicket(p.ticketId, p.update, {
        followUpSubject: p.followUpSubject,
        externalId: p.externalId,
        mayHaveLanded: row.outcomeUnknownSince !== null,
      });
      return result.ticketId;
    });
  }

  private createTickets(connector: HelpdeskConnector, rows: ClaimedMessage<CreateTicketPayload>[]): Promise<Outcome[]> {
    return oneAtATime(rows, async (row) => {
      const { ticket } = row.payload;
      const [existing] = row.outcomeUnknownSince ? await connector.findTicketsByExternalId(ticket.externalId) : [];
      return existing ?? connector.createTicket(ticket);
    });
  }
}

/**
 * Helpdesk writes go one request each, in order. A refusal fails only its row; any other failure
 * stops the batch (the helpdesk is struggling) and the rows not sent wait for the backoff.
 */
async function oneAtATime<P>(rows: ClaimedMessage<P>[], deliver: (row: ClaimedMessage<P>) => Promise<string>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    try {
      outcomes.push({ row, externalId: await deliver(row) });
    } catch (error) {
      outcomes.push(fromError(row, error));
      if (!isRefusal(error)) break;
    }
  }
  return [...outcomes, ...rows.slice(outcomes.length).map((row) => ({ row, retry: 'not sent: an earlier write to this helpdesk failed' }))];
}

interface Outcome {
  row: ClaimedMessage<unknown>;
  externalId?: string;
  /** Permanent refusal: the vendor's words. */
  fail?: string;
  /** Retry after backoff, with why. */
  retry?: string;
  outcomeUnknown?: boolean;
}

function fromResult(row: ClaimedMessage<unknown>, result: CrmWriteResult | undefined): Outcome {
  if (!result) return { row, retry: 'the CRM answered without a result for this record' };
  if (result.externalId && !result.error) return { row, externalId: result.externalId };
  const error = result.error ?? { code: 'UNKNOWN', message: 'no id and no error' };
  const text = `${error.code}: ${error.message}`;
  if (error.permanent) return { row, fail: text };
  return { row, retry: text, outcomeUnknown: error.outcomeUnknown === true };
}

/** A helpdesk write that threw: a refusal of our request is final; anything else may have happened, so look first next time. */
function isRefusal(error: unknown): error is VendorError {
  return error instanceof VendorError && (error.kind === 'invalid' || error.kind === 'not_found');
}

/** Whether a failed write may still have been applied: anything but an answer that refused it before acting. */
function fromError(row: ClaimedMessage<unknown>, error: unknown): Outcome {
  if (isRefusal(error)) return { row, fail: `${error.details.code ?? error.details.status ?? 'invalid'}: ${error.message}` };
  return { row, retry: message(error), outcomeUnknown: mayHaveBeenApplied(error) };
}
