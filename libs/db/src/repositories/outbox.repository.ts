import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';

/** The vendor writes the outbox carries; the dispatcher knows how to deliver each. */
export type OutboxOperation = 'crm.create_task' | 'crm.update_record' | 'helpdesk.write_back' | 'helpdesk.create_ticket' | AlertDeliveryOperation;

/** An alert's deliveries (rules §9): an email to the program's recipients, a POST to its incoming webhook. */
export type AlertDeliveryOperation = 'alert.email' | 'alert.webhook';

/** A claimed alert delivery: the outbox row of one alert and one channel. */
export interface ClaimedAlertDelivery<P = Record<string, unknown>> {
  id: string;
  alertId: string;
  operation: AlertDeliveryOperation;
  payload: P;
  attempts: number;
  outcomeUnknownSince: Date | null;
}

export interface ClaimedMessage<P = Record<string, unknown>> {
  id: string;
  connectionId: string;
  operation: OutboxOperation;
  payload: P;
  attempts: number;
  followUpId: string | null;
  outcomeUnknownSince: Date | null;
  createdAt: Date;
}

interface MessageRow {
  id: string;
  connection_id: string;
  operation: OutboxOperation;
  payload: Record<string, unknown>;
  attempts: number;
  follow_up_id: string | null;
  outcome_unknown_since: Date | null;
  created_at: Date;
}

/** A write a person may want to look at: waiting to go out, or refused by the vendor. */
export interface AttentionRow {
  id: string;
  connectionId: string | null;
  /** The connection's name; null for an alert's delivery. */
  connection: string | null;
  alertId: string | null;
  operation: OutboxOperation;
  status: string;
  attempts: number;
  /** The vendor's words (or why the last attempt failed). */
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  followUpId: string | null;
  payload: Record<string, unknown>;
}

/** What a dismissed write was, for what follows from dismissing it. */
export interface DismissedWrite {
  previous: string;
  connectionId: string | null;
  operation: OutboxOperation;
  followUpId: string | null;
  payload: Record<string, unknown>;
}

/** A delivering claim older than this belongs to a worker that died: the row is offered again. */
export const CLAIM_TIMEOUT_MS = 10 * 60_000;

/** Backoff after a failed attempt: 30 s doubling, at most an hour; an outage delays, never drops. */
function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * A row back to pending after a failed attempt ($1 id, $2 error, $3 next attempt, $4 outcome
 * unknown, $5 now) or, when its record has a newer pending update, merged into that one: the
 * newer row's fields are this row's overlaid with its own (later values win).
 */
const RETRY_OR_MERGE = `
  WITH me AS (SELECT id, connection_id, operation, record_key, payload FROM outbox WHERE id = $1),
  newer AS (
    UPDATE outbox n SET payload = jsonb_set(n.payload, '{fields}', coalesce(me.payload -> 'fields', '{}'::jsonb) || coalesce(n.payload -> 'fields', '{}'::jsonb))
    FROM me
    WHERE me.record_key IS NOT NULL AND n.status = 'pending' AND n.connection_id = me.connection_id
      AND n.operation = me.operation AND n.record_key = me.record_key AND n.id <> me.id
    RETURNING n.id)
  UPDATE outbox o SET
    status = CASE WHEN newer.id IS NULL THEN 'pending' ELSE 'merged' END,
    merged_into = newer.id,
    claimed_at = NULL,
    last_error = CASE WHEN newer.id IS NULL THEN $2 ELSE 'merged into the newer update ' || newer.id || ' after: ' || $2 END,
    next_attempt_at = $3,
    outcome_unknown_since = CASE WHEN $4::boolean THEN coalesce(o.outcome_unknown_since, $5) ELSE o.outcome_unknown_since END
  FROM me LEFT JOIN newer ON true
  WHERE o.id = me.id
  RETURNING o.status`;

/** The unique key "one pending update per record" refused a row going back to pending. */
function isPendingRecordConflict(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driver?.code === '23505' && driver.constraint === 'outbox_pending_record_uq';
}

/**
 * The outbox (architecture: every vendor write is a row committed with the change that causes
 * it). Writers call it on their own transaction; the dispatcher claims, delivers and settles rows.
 */
export class OutboxRepository {
  constructor(private readonly db: EntityManager) {}

  /** One write, once, due at `now` (the service's clock): a second call with the same dedupe key does nothing. */
  async enqueue(message: { connectionId: string; operation: OutboxOperation; dedupeKey: string; payload: unknown; followUpId?: string | null }, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO outbox (connection_id, operation, dedupe_key, payload, follow_up_id, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [message.connectionId, message.operation, message.dedupeKey, JSON.stringify(message.payload), message.followUpId ?? null, now],
    );
  }

  /**
   * Field values for one CRM record: merged into the record's pending update when there is one
   * (later values win), else a new pending row. Many changes before delivery cost one write.
   */
  async enqueueFieldUpdate(connectionId: string, object: 'account' | 'contact', externalId: string, fields: Record<string, unknown>, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO outbox (connection_id, operation, dedupe_key, record_key, payload, next_attempt_at, created_at)
       VALUES ($1, 'crm.update_record', $2, $3, $4, $5, $5)
       ON CONFLICT (connection_id, operation, record_key) WHERE status = 'pending'
       DO UPDATE SET payload = jsonb_set(outbox.payload, '{fields}', (outbox.payload -> 'fields') || (excluded.payload -> 'fields'))`,
      [connectionId, `update:${randomUUID()}`, `${object}:${externalId}`, JSON.stringify({ object, externalId, fields }), now],
    );
  }

  /** Connections with deliverable rows now. */
  async connectionsDue(now: Date): Promise<string[]> {
    const rows: Array<{ connection_id: string }> = await this.db.query(
      `SELECT DISTINCT connection_id FROM outbox
       WHERE connection_id IS NOT NULL AND ((status = 'pending' AND next_attempt_at <= $1) OR (status = 'delivering' AND claimed_at < $2))`,
      [now, new Date(now.getTime() - CLAIM_TIMEOUT_MS)],
    );
    return rows.map((r) => r.connection_id);
  }

  /**
   * Claims up to `limit` due rows of one connection and operation, oldest first, across workers
   * (SKIP LOCKED). A claim that timed out is taken over; for a create that means its outcome is
   * unknown. A record whose earlier update is still being delivered waits, so updates land in order.
   * `object` narrows field updates to one CRM object, so every batch sent is of one object and full.
   */
  async claim<P>(connectionId: string, operation: OutboxOperation, limit: number, now: Date, object?: 'account' | 'contact'): Promise<ClaimedMessage<P>[]> {
    const result = await this.db.query(
      `UPDATE outbox o SET status = 'delivering', claimed_at = $4, attempts = o.attempts + 1,
              outcome_unknown_since = CASE WHEN o.status = 'delivering' AND o.operation <> 'crm.update_record'
                                           THEN coalesce(o.outcome_unknown_since, o.claimed_at) ELSE o.outcome_unknown_since END
       WHERE o.id IN (
         SELECT id FROM outbox c
         WHERE c.connection_id = $1 AND c.operation = $2 AND ($6::text IS NULL OR c.payload ->> 'object' = $6)
           AND ((c.status = 'pending' AND c.next_attempt_at <= $4) OR (c.status = 'delivering' AND c.claimed_at < $5))
           AND NOT (c.status = 'pending' AND c.record_key IS NOT NULL AND EXISTS (
             SELECT 1 FROM outbox d WHERE d.connection_id = c.connection_id AND d.record_key = c.record_key
               AND d.status = 'delivering' AND d.claimed_at >= $5))
         ORDER BY c.id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.connection_id, o.operation, o.payload, o.attempts, o.follow_up_id, o.outcome_unknown_since, o.created_at`,
      [connectionId, operation, limit, now, new Date(now.getTime() - CLAIM_TIMEOUT_MS), object ?? null],
    );
    return returnedRows<MessageRow>(result)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({
        id: String(r.id),
        connectionId: r.connection_id,
        operation: r.operation,
        payload: r.payload as P,
        attempts: r.attempts,
        followUpId: r.follow_up_id,
        outcomeUnknownSince: r.outcome_unknown_since ? new Date(r.outcome_unknown_since) : null,
        createdAt: new Date(r.created_at),
      }));
  }

  /** One delivery of an alert on one channel, once (dedupe key alert + channel), due at `now`. */
  async enqueueAlertDelivery(alertId: string, operation: AlertDeliveryOperation, payload: unknown, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO outbox (alert_id, operation, dedupe_key, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [alertId, operation, `${operation}:${alertId}`, JSON.stringify(payload), now],
    );
  }

  /** Claims up to `limit` due alert deliveries of one channel, oldest first, across workers (SKIP LOCKED), like `claim`. */
  async claimAlertDeliveries<P>(operation: AlertDeliveryOperation, limit: number, now: Date): Promise<ClaimedAlertDelivery<P>[]> {
    const result = await this.db.query(
      `UPDATE outbox o SET status = 'delivering', claimed_at = $3, attempts = o.attempts + 1,
              outcome_unknown_since = CASE WHEN o.status = 'delivering' THEN coalesce(o.outcome_unknown_since, o.claimed_at) ELSE o.outcome_unknown_since END
       WHERE o.id IN (
         SELECT id FROM outbox c
         WHERE c.alert_id IS NOT NULL AND c.operation = $1
           AND ((c.status = 'pending' AND c.next_attempt_at <= $3) OR (c.status = 'delivering' AND c.claimed_at < $4))
         ORDER BY c.id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.alert_id, o.operation, o.payload, o.attempts, o.outcome_unknown_since`,
      [operation, limit, now, new Date(now.getTime() - CLAIM_TIMEOUT_MS)],
    );
    return returnedRows<{ id: string; alert_id: string; operation: AlertDeliveryOperation; payload: P; attempts: number; outcome_unknown_since: Date | null }>(result)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({
        id: String(r.id),
        alertId: r.alert_id,
        operation: r.operation,
        payload: r.payload,
        attempts: r.attempts,
        outcomeUnknownSince: r.outcome_unknown_since ? new Date(r.outcome_unknown_since) : null,
      }));
  }

  async delivered(id: string, externalId: string | null, now: Date): Promise<void> {
    await this.db.query(`UPDATE outbox SET status = 'delivered', external_id = $2, delivered_at = $3, last_error = NULL, claimed_at = NULL WHERE id = $1`, [id, externalId, now]);
  }

  /** `delivered` for a whole batch in one statement (a delivered batch of 1,000 is one round trip, not 1,000). */
  async deliveredAll(rows: ReadonlyArray<{ id: string; externalId: string | null }>, now: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE outbox o SET status = 'delivered', external_id = d.external_id, delivered_at = $3, last_error = NULL, claimed_at = NULL
       FROM unnest($1::bigint[], $2::text[]) AS d(id, external_id) WHERE o.id = d.id`,
      [rows.map((r) => r.id), rows.map((r) => r.externalId), now],
    );
  }

  /**
   * Tried again after the backoff; `outcomeUnknown` makes the next attempt look before creating.
   * A field update whose record was queued a newer pending update while this one was out (one
   * pending update per record) merges into that row instead: its fields go in, the newer values
   * win, and this row is marked `merged`. A newer row committed while the statement ran is met by
   * running it once more, so the one-pending-per-record key never fails the dispatcher.
   */
  async retry(id: string, attempts: number, error: string, now: Date, outcomeUnknown = false): Promise<'pending' | 'merged'> {
    const values = [id, error, new Date(now.getTime() + retryDelayMs(attempts)), outcomeUnknown, now];
    // Inside a transaction a failed statement aborts it, unless it ran under a savepoint.
    const savepoint = this.db.queryRunner?.isTransactionActive === true;
    for (let attempt = 1; ; attempt++) {
      if (savepoint) await this.db.query('SAVEPOINT outbox_retry');
      try {
        const [row] = returnedRows<{ status: 'pending' | 'merged' }>(await this.db.query(RETRY_OR_MERGE, values));
        if (savepoint) await this.db.query('RELEASE SAVEPOINT outbox_retry');
        return row.status;
      } catch (caught) {
        if (savepoint) await this.db.query('ROLLBACK TO SAVEPOINT outbox_retry');
        if (attempt > 1 || !isPendingRecordConflict(caught)) throw caught;
      }
    }
  }

  /** The vendor refused it for good (validation): kept, with the vendor's words, never retried. */
  async failed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET status = 'failed', claimed_at = NULL, last_error = $2 WHERE id = $1`, [id, error]);
  }

  /** Writes to a removed connection not yet claimed: cancelled with `reason`; returns the follow-ups they would have created. */
  async cancelPendingForConnection(connectionId: string, reason: string): Promise<{ cancelled: number; followUpIds: string[] }> {
    const rows = returnedRows<{ follow_up_id: string | null }>(
      await this.db.query(
        `UPDATE outbox SET status = 'cancelled', last_error = $2, claimed_at = NULL
         WHERE connection_id = $1 AND status = 'pending' RETURNING follow_up_id`,
        [connectionId, reason],
      ),
    );
    return { cancelled: rows.length, followUpIds: rows.flatMap((r) => (r.follow_up_id ? [r.follow_up_id] : [])) };
  }

  /** Counts per connection, operation and status, for the admin's view of vendor writes. */
  async summary(): Promise<Array<{ connectionId: string; connection: string; operation: OutboxOperation; status: string; count: number }>> {
    return this.db.query(
      `SELECT o.connection_id AS "connectionId", c.name AS "connection", o.operation, o.status, count(*)::int AS count
       FROM outbox o JOIN connections c ON c.id = o.connection_id
       GROUP BY o.connection_id, c.name, o.operation, o.status ORDER BY c.name, o.operation, o.status`,
    );
  }

  /**
   * One page of the writes that need a person's eye, newest first: `waiting` (pending or being
   * delivered) or `refused` (failed), with the vendor's words, older than `beforeId` when given.
   */
  async attentionPage(which: 'waiting' | 'refused', beforeId: string | null, limit: number): Promise<AttentionRow[]> {
    return this.db.query(
      `SELECT o.id::text AS id, o.connection_id AS "connectionId", c.name AS connection, o.alert_id AS "alertId", o.operation, o.status, o.attempts,
              o.last_error AS "lastError", o.next_attempt_at AS "nextAttemptAt", o.created_at AS "createdAt", o.follow_up_id AS "followUpId", o.payload
       FROM outbox o LEFT JOIN connections c ON c.id = o.connection_id
       WHERE o.status = ANY($1::text[]) AND ($2::bigint IS NULL OR o.id < $2::bigint)
       ORDER BY o.id DESC LIMIT $3`,
      [which === 'refused' ? ['failed'] : ['pending', 'delivering'], beforeId, limit],
    );
  }

  /**
   * A refused or waiting write goes out at the next delivery (`now`). A refused field update whose
   * record has a newer pending update is merged into that one instead (its fields go in, the newer
   * values win), as the dispatcher merges retries. Null when the row is no longer refused or waiting.
   */
  async sendAgain(id: string, now: Date): Promise<{ status: 'pending' | 'merged'; followUpId: string | null; previous: string } | null> {
    const rows = returnedRows<{ status: 'pending' | 'merged'; follow_up_id: string | null; previous: string }>(
      await this.db.query(
        `WITH me AS (SELECT id, connection_id, operation, record_key, payload, status FROM outbox WHERE id = $1 AND status IN ('failed', 'pending') FOR UPDATE),
         newer AS (
           UPDATE outbox n SET payload = jsonb_set(n.payload, '{fields}', coalesce(me.payload -> 'fields', '{}'::jsonb) || coalesce(n.payload -> 'fields', '{}'::jsonb))
           FROM me
           WHERE me.status = 'failed' AND me.record_key IS NOT NULL AND n.status = 'pending' AND n.connection_id = me.connection_id
             AND n.operation = me.operation AND n.record_key = me.record_key AND n.id <> me.id
           RETURNING n.id)
         UPDATE outbox o SET
           status = CASE WHEN newer.id IS NULL THEN 'pending' ELSE 'merged' END,
           merged_into = newer.id,
           claimed_at = NULL,
           next_attempt_at = $2
         FROM me LEFT JOIN newer ON true
         WHERE o.id = me.id
         RETURNING o.status, o.follow_up_id, me.status AS previous`,
        [id, now],
      ),
    );
    return rows[0] ? { status: rows[0].status, followUpId: rows[0].follow_up_id, previous: rows[0].previous } : null;
  }

  /**
   * A person gave up on a refused or waiting write: kept with the vendor's words, never sent. Null
   * when the row is no longer refused or waiting (delivered meanwhile, say).
   */
  async dismiss(id: string): Promise<DismissedWrite | null> {
    const rows = returnedRows<{ previous: string; connection_id: string | null; operation: OutboxOperation; follow_up_id: string | null; payload: Record<string, unknown> }>(
      await this.db.query(
        `WITH me AS (SELECT id, status FROM outbox WHERE id = $1 AND status IN ('failed', 'pending') FOR UPDATE)
         UPDATE outbox o SET status = 'dismissed', claimed_at = NULL FROM me WHERE o.id = me.id
         RETURNING me.status AS previous, o.connection_id, o.operation, o.follow_up_id, o.payload`,
        [id],
      ),
    );
    const row = rows[0];
    return row ? { previous: row.previous, connectionId: row.connection_id, operation: row.operation, followUpId: row.follow_up_id, payload: row.payload } : null;
  }

  /** The latest 100 rows in these statuses, newest first, with the vendor's words. */
  async latestIn(statuses: string[]): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT o.id, o.connection_id AS "connectionId", o.operation, o.status, o.attempts, o.last_error AS "lastError",
              o.next_attempt_at AS "nextAttemptAt", o.created_at AS "createdAt", o.follow_up_id AS "followUpId", o.payload
       FROM outbox o WHERE o.status = ANY($1::text[]) ORDER BY o.id DESC LIMIT 100`,
      [statuses],
    );
  }
}
