import { EntityManager } from 'typeorm';
import { COUNT_PARTS } from '@migrations/20261207000000-count-imports-once';

/** The first key of the session locks an importing process holds on its import (its own key space). */
const IMPORT_COUNT_LOCKS = 7_017;

export type CountPart = (typeof COUNT_PARTS)[number];
export { COUNT_PARTS };

/**
 * When an import's answers enter the report counts (migration count-imports-once): a real import
 * marks itself pending, so the response triggers leave its rows out, and counts them all at once
 * when it ends. While it runs, its process holds a session lock on it; a pending import whose lock
 * nobody holds was left by a process that stopped, and is counted by whoever finds it.
 */
export class ImportCountsRepository {
  constructor(private readonly db: EntityManager) {}

  /** The import's answers stay out of every part of the report counts until it is counted. */
  async defer(importId: string): Promise<void> {
    await this.db.query(`INSERT INTO import_counts_pending (import_id, part) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [importId, COUNT_PARTS]);
  }

  /** Counts every answer of the import into one part now, in one pass; false when that part holds them already. */
  async countPart(importId: string, part: CountPart): Promise<boolean> {
    const [{ counted }] = await this.db.query(`SELECT count_imported_responses($1, $2) AS counted`, [importId, part]);
    return counted === true;
  }

  /** Every part, one after another on this session; false when none was pending. */
  async count(importId: string): Promise<boolean> {
    let counted = false;
    for (const part of COUNT_PARTS) counted = (await this.countPart(importId, part)) || counted;
    return counted;
  }

  /** Imports with a part of their answers still to count, oldest first. */
  async pending(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT i.id FROM imports i WHERE EXISTS (SELECT FROM import_counts_pending p WHERE p.import_id = i.id) ORDER BY i.started_at, i.id`,
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
