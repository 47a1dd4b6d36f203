import { DataSource } from 'typeorm';

export interface PendingDelivery {
  connectionId: string;
  source: string;
  deliveryId: string;
  eventType: string;
  payload: unknown;
}

interface Waiter {
  delivery: PendingDelivery;
  resolve: (isNew: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Records webhook deliveries in batches that form by themselves: when no write is in flight a
 * call is written at once (on the next turn of the event loop, so calls arriving together share
 * it); while writes are in flight, arriving calls wait and go together in the next INSERT when
 * one finishes. Each caller is answered only after its batch commits, so a 202 still means
 * "stored". Under a burst this keeps both the database and the latency from being the limit:
 * an idle server adds no wait, a busy one commits hundreds of deliveries at once.
 */
export class DeliveryBatcher {
  private queue: Waiter[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly db: DataSource,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves true when the delivery is new, false when it was already recorded. */
  record(delivery: PendingDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || !this.queue.length) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    void this.write(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    this.schedule();
  }

  private async write(batch: Waiter[]): Promise<void> {
    try {
      const rows: Array<{ source: string; delivery_id: string }> = await this.db.query(
        `INSERT INTO webhook_deliveries (connection_id, source, delivery_id, event_type, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
         ON CONFLICT (source, delivery_id) DO NOTHING RETURNING source, delivery_id`,
        [
          batch.map((w) => w.delivery.connectionId),
          batch.map((w) => w.delivery.source),
          batch.map((w) => w.delivery.deliveryId),
          batch.map((w) => w.delivery.eventType),
          batch.map((w) => JSON.stringify(w.delivery.payload)),
        ],
      );
      const inserted = new Set(rows.map((r) => `${r.source}\u0000${r.delivery_id}`));
      for (const waiter of batch) {
        const key = `${waiter.delivery.source}\u0000${waiter.delivery.deliveryId}`;
        // The first caller of a repeated id in this batch gets "new"; the rest are repeats.
        waiter.resolve(inserted.delete(key));
      }
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
}
