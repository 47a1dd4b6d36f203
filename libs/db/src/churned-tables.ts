import { DataSource } from 'typeorm';

/**
 * Vacuums the tables of the public schema holding more dead row versions than live rows (and at
 * least `minDead`), now: the count tables a bulk import rewrites row by row (each person's latest
 * answer, each account's totals, the rollups) otherwise gain a dead version per row and batch until
 * autovacuum comes round, if it is on, and every upsert wades through more of them. Runs outside a
 * transaction (VACUUM cannot run inside one); a table another VACUUM holds is skipped, one this role
 * may not vacuum is skipped with a warning. Answers the tables vacuumed.
 */
export async function vacuumChurnedTables(db: DataSource, minDead = 10_000): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
     WHERE schemaname = 'public' AND n_dead_tup >= $1 AND n_dead_tup > n_live_tup ORDER BY relname`,
    [minDead],
  );
  if (rows.length) await db.query(`VACUUM (SKIP_LOCKED) ${rows.map((r) => r.name).join(', ')}`);
  return rows.map((r) => r.name);
}
