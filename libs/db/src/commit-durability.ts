import { EntityManager } from 'typeorm';

/**
 * The caller's transaction commits without waiting for its WAL to reach the disk
 * (`synchronous_commit` off, for this transaction only). For bulk writes whose last step commits
 * normally (an import's summary): that commit flushes every WAL record before it, so once it
 * returns all the batches are durable; a crash before it loses at most the latest batches, which
 * the same idempotent import writes again.
 */
export async function commitWithoutWaitingForDisk(db: EntityManager): Promise<void> {
  await db.query(`SET LOCAL synchronous_commit TO off`);
}
