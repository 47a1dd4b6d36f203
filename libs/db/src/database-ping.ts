import { DataSource } from 'typeorm';

/** Whether the database answers a trivial statement (the health check). */
export async function pingDatabase(db: DataSource): Promise<void> {
  await db.query('SELECT 1');
}
