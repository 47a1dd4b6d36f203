import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';

/** A recorded webhook delivery a worker took to turn into a survey. */
export interface ClaimedDelivery<P = unknown> {
  id: string;
  connectionId: string;
  payload: P;
}

/**
 * What became of a delivery: the survey it planned, or why it planned none. Stored on the row
 * (webhook_deliveries.outcome) so a person can see why a solved ticket got no survey.
 */
export type DeliveryOutcome =
  | 'survey_scheduled'
  | 'survey_skipped'
  | 'survey_rescheduled'
  | 'ticket_already_surveyed'
  | 'own_ticket'
  | 'ticket_reopened'
  | 'ticket_not_solved'
  | 'ticket_not_found'
  | 'connection_deleted'
  | 'failed';

/** A delivery as the list of deliveries shows it. */
export interface WebhookDeliveryListRow {
  id: string;
  connectionId: string | null;
  connection: string | null;
  source: string;
  deliveryId: string;
  eventType: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  outcome: DeliveryOutcome | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

/** A verified webhook call, as the API records it. */
export interface NewWebhookDelivery {
  connectionId: string;
  source: string;
  /** Unique per source: the connection and the vendor's invocation id. */
  deliveryId: string;
  /** sha256 of what was signed (timestamp + body), unique per connection: a replay under another invocation id is a repeat. */
  contentKey: string;
  eventType: string;
  payload: unknown;
}

/** Which of the given deliveries a statement recorded. */
export type RecordedDelivery = Pick<NewWebhookDelivery, 'source' | 'deliveryId' | 'contentKey'>;

/** webhook_deliveries (recorded by the API, turned into surveys by workers): one method per statement. */
export class WebhookDeliveriesRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Records in one statement the deliveries not seen before, by delivery id or by content (any
   * unique index: ON CONFLICT without a target), repeats within the list included; returns those
   * it recorded. One value Postgres refuses fails the whole statement.
   */
  async recordNew(rows: NewWebhookDelivery[]): Promise<RecordedDelivery[]> {
    const recorded = returnedRows<{ source: string; delivery_id: string; content_key: string }>(
      await this.db.query(
        `INSERT INTO webhook_deliveries (connection_id, source, delivery_id, content_key, event_type, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
         ON CONFLICT DO NOTHING RETURNING source, delivery_id, content_key`,
        [
          rows.map((r) => r.connectionId),
          rows.map((r) => r.source),
          rows.map((r) => r.deliveryId),
          rows.map((r) => r.contentKey),
          rows.map((r) => r.eventType),
          rows.map((r) => JSON.stringify(r.payload)),
        ],
      ),
    );
    return recorded.map((r) => ({ source: r.source, deliveryId: r.delivery_id, contentKey: r.content_key }));
  }

  /**
   * Takes up to `limit` unprocessed deliveries due at `now`, oldest first, for this worker alone
   * until `claimUntil` (another worker skips them meanwhile; a worker that died releases them then).
   */
  async claim<P>(limit: number, now: Date, claimUntil: Date): Promise<Array<ClaimedDelivery<P>>> {
    const rows = returnedRows<{ id: string; connection_id: string; payload: P }>(
      await this.db.query(
        `UPDATE webhook_deliveries SET next_attempt_at = $3
         WHERE id IN (
           SELECT id FROM webhook_deliveries
           WHERE processed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, connection_id, payload`,
        [limit, now, claimUntil],
      ),
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => ({ id: String(r.id), connectionId: r.connection_id, payload: r.payload }));
  }

  /** Done: what it planned, or why nothing. */
  async markProcessed(id: string, outcome: DeliveryOutcome, now: Date): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET processed_at = $3, outcome = $2, error = NULL WHERE id = $1`, [id, outcome, now]);
  }

  /** Done without a plan: kept with why, for a person to see. */
  async markFailed(id: string, error: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET processed_at = $3, outcome = 'failed', error = $2 WHERE id = $1`, [id, error, now]);
  }

  /** One page of deliveries, newest first, older than `beforeId` when given: what each became, or why not. */
  async page(beforeId: string | null, limit: number): Promise<WebhookDeliveryListRow[]> {
    return this.db.query(
      `SELECT d.id::text AS id, d.connection_id AS "connectionId", c.name AS connection, d.source, d.delivery_id AS "deliveryId",
              d.event_type AS "eventType", d.received_at AS "receivedAt", d.processed_at AS "processedAt", d.outcome, d.error,
              d.next_attempt_at AS "nextAttemptAt"
       FROM webhook_deliveries d LEFT JOIN connections c ON c.id = d.connection_id
       WHERE $1::bigint IS NULL OR d.id < $1::bigint
       ORDER BY d.id DESC LIMIT $2`,
      [beforeId, limit],
    );
  }

  /** Not now (the helpdesk could not be read): offered again at `retryAt`, with why it waits. */
  async defer(ids: string[], error: string, retryAt: Date): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET next_attempt_at = $3, error = $2 WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`, [ids, error, retryAt]);
  }
}
