/** What pg-boss hands out to run SQL on its own connection pool (`boss.getDb()`). */
export interface PgBossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The one statement we run on pg-boss's own table (schema `pgboss`, which JobsModule keeps).
 * pg-boss 10 expires an active job `expire_in` after it started; a worker that still holds a job
 * moves that deadline to a full expiry from now, so only a dead worker's job lapses.
 */
export class PgBossJobsRepository {
  constructor(private readonly db: PgBossDb) {}

  /** Moves a held job's expiry to `seconds` from now; false when the job is no longer active. */
  async renewActive(name: string, id: string, seconds: number): Promise<boolean> {
    const { rows } = await this.db.executeSql(
      `UPDATE pgboss.job SET expire_in = (now() - started_on) + $3 * interval '1 second' WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`,
      [name, id, seconds],
    );
    return rows.length > 0;
  }
}
