import { EntityManager } from 'typeorm';

/**
 * Runs `work` under a savepoint of the caller's transaction: when it throws, only its own
 * statements are undone and the transaction goes on (a failed statement would otherwise abort it).
 */
export async function inSavepoint<T>(db: EntityManager, name: string, work: () => Promise<T>): Promise<T> {
  await db.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await db.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await db.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
