import { NewWebhookDelivery, RecordedDelivery } from '@libs/db/src/repositories/webhook-deliveries.repository';

export type PendingDelivery = NewWebhookDelivery;

/** Where batches go: one statement that records the new deliveries and returns them (WebhookDeliveriesRepository). */
export interface DeliveryStore {
  recordNew(rows: PendingDelivery[]): Promise<RecordedDelivery[]>;
}

/** Postgres error classes that blame one row's values: 22 data exception, 23 integrity constraint, 54 program limit (a value too large). */
const ROW_ERROR_CLASSES = ['22', '23', '54'];

/**
 * The SQLSTATE of an error Postgres answered (node-postgres's DatabaseError, which TypeORM wraps in
 * a QueryFailedError as `driverError`). Only those carry a `severity`: a socket error's `code`
 * (EPIPE) is not a SQLSTATE.
 */
export function sqlState(error: unknown): string | undefined {
  const answer = (error as { driverError?: unknown } | null)?.driverError ?? error;
  const { code, severity } = (answer ?? {}) as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Postgres's words on a refused value (node-postgres fields, copied by TypeORM). */
export type Refusal = Error & { detail?: string; where?: string; column?: string };

/** This delivery alone could not be stored: Postgres refused its own values. */
export class DeliveryNotStorable extends Error {
  constructor(
    readonly sqlState: string,
    readonly refusal: Refusal,
  ) {
    super(refusal.message, { cause: refusal });
    this.name = 'DeliveryNotStorable';
  }
}

interface Waiter {
  delivery: PendingDelivery;
  resolve: (isNew: boolean) => void;
  reject: (error: unknown) => void;
}

const key = (d: RecordedDelivery) => `${d.source}\u0000${d.deliveryId}\u0000${d.contentKey}`;

/**
 * Records webhook deliveries in batches that form by themselves: when no write is in flight a
 * call is written at once (on the next turn of the event loop, so calls arriving together share
 * it); while writes are in flight, arriving calls wait and go together in the next INSERT when
 * one finishes. Each caller is answered only after its batch commits, so a 202 still means
 * "stored". Under a burst this keeps both the database and the latency from being the limit:
 * an idle server adds no wait, a busy one commits hundreds of deliveries at once.
 *
 * One row Postgres refuses fails its whole INSERT; the batch is then halved until only the
 * refused rows fail (DeliveryNotStorable), so concurrent good deliveries are still recorded. A
 * failure that is not about a row's values (the database is down) fails the batch as it is.
 */
export class DeliveryBatcher {
  private queue: Waiter[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly store: DeliveryStore,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves true when the delivery is new, false when it was already recorded (same delivery id or same signed content). */
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
    let recorded: RecordedDelivery[];
    try {
      recorded = await this.store.recordNew(batch.map((w) => w.delivery));
    } catch (error) {
      const state = sqlState(error);
      if (!state || !ROW_ERROR_CLASSES.includes(state.slice(0, 2))) {
        for (const waiter of batch) waiter.reject(error);
      } else if (batch.length === 1) {
        batch[0].reject(new DeliveryNotStorable(state, error as Refusal));
      } else {
        // In order, so a repeat in the second half still finds its first copy recorded.
        const half = Math.ceil(batch.length / 2);
        await this.write(batch.slice(0, half));
        await this.write(batch.slice(half));
      }
      return;
    }
    const inserted = new Set(recorded.map(key));
    // Each recorded row answers the one caller whose delivery it is; every other caller (a repeat
    // of an earlier delivery or of one in this batch) gets "already recorded".
    for (const waiter of batch) waiter.resolve(inserted.delete(key(waiter.delivery)));
  }
}
