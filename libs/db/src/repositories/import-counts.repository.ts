import { EntityManager } from 'typeorm';

/** The first key of the session locks an importing process holds on its import (its own key space). */
const IMPORT_COUNT_LOCKS = 7_017;

/**
 * When an import's answers enter the report counts (migration count-imports-once): a real import
 * marks itself pending, so the response triggers leave its rows out, and counts them all at once
 * when it ends. While it runs, its process holds a session lock on it; a pending import whose lock
 * nobody holds was left by a process that stopped, and is counted by whoever finds it.
 */
export class ImportCountsRepository {
  constructor(private readonly db: EntityManager) {}

  /** The import's answers stay out of the report counts until `count`. */
  async defer(importId: string): Promise<void> {
    await this.db.query(`INSERT INTO import_counts_pending (import_id) VALUES ($1) ON CONFLICT DO NOTHING`, [importId]);
  }

  /** Counts every answer of the import now, in one pass; false when it was not pending (counted already). */
  async count(importId: string): Promise<boolean> {
    const [{ counted }] = await this.db.query(`SELECT count_imported_responses($1) AS counted`, [importId]);
    return counted === true;
  }

  /** Imports whose answers wait to be counted, oldest first. */
  async pending(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT p.import_id AS id FROM import_counts_pending p JOIN imports i ON i.id = p.import_id ORDER BY i.started_at, p.import_id`,
    );
    return rows.map((r) => r.id);
  }

  /** Holds the import for this session (its importing process) until `release` or the session ends. */
  async hold(importId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_lock(${IMPORT_COUNT_LOCKS}, hashtext($1::text))`, [importId]);
  }

  /** Holds the import when no other session does (its process is gone). */
  async tryHold(importId: string): Promise<boolean> {
    const [{ held }] = await this.db.query(`SELECT pg_try_advisory_lock(${IMPORT_COUNT_LOCKS}, hashtext($1::text)) AS held`, [importId]);
    return held === true;
  }

  async release(importId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_unlock(${IMPORT_COUNT_LOCKS}, hashtext($1::text))`, [importId]);
  }
}
