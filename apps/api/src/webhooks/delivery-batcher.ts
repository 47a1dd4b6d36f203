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
 * Records webhook deliveries in small batches: calls arriving within a couple of milliseconds
 * share one INSERT and one commit, and each caller is answered only after that commit, so a
 * 202 still means "stored". Under a burst this is what keeps the database from being the limit.
 */
export class DeliveryBatcher {
  private queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly maxWaitMs = 4,
    private readonly maxBatch = 200,
  ) {}

  /** Resolves true when the delivery is new, false when it was already recorded. */
  record(delivery: PendingDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length) void this.write(batch);
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
