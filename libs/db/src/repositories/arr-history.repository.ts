import { EntityManager } from 'typeorm';

/** One value from a CRM's ARR field history (the connector's CrmArrPoint). */
export interface ArrPointRow {
  accountExternalId: string;
  at: string;
  arr: string | null;
}

/**
 * ARR history read from the CRM (rules §7 activity axis): which accounts still need it
 * read, and the points stored as source 'crm' snapshots beside the ones sync takes.
 */
export class ArrHistoryRepository {
  constructor(private readonly db: EntityManager) {}

  /** Up to `limit` external ids of the connection's accounts whose CRM ARR history is still to be read. */
  async accountsDueForArrHistory(connectionId: string, limit: number): Promise<string[]> {
    const rows: Array<{ external_id: string }> = await this.db.query(
      `SELECT external_id FROM accounts WHERE connection_id = $1 AND arr_history_due ORDER BY external_id LIMIT $2`,
      [connectionId, limit],
    );
    return rows.map((r) => r.external_id);
  }

  /**
   * Stores ARR points from the CRM's field history as source 'crm' snapshots: one per (account,
   * instant), so reading the same history again adds nothing; a point whose value the CRM now
   * reports differently is corrected. Emptied values (null) are not ARR and are skipped; the
   * currency is the account's. Returns how many points were new.
   */
  async upsertArrHistory(connectionId: string, points: ArrPointRow[]): Promise<number> {
    const kept = points.filter((p) => p.arr !== null);
    if (!kept.length) return 0;
    const [{ created }]: Array<{ created: number }> = await this.db.query(
      `WITH input AS (
         SELECT DISTINCT ON (external_id, at) external_id, at, arr
         FROM unnest($2::text[], $3::timestamptz[], $4::numeric[]) AS t(external_id, at, arr) ORDER BY external_id, at),
       written AS (
         INSERT INTO arr_snapshots AS s (account_id, arr, arr_currency, captured_at, source)
         SELECT a.id, i.arr, a.arr_currency, i.at, 'crm' FROM input i
         JOIN accounts a ON a.connection_id = $1 AND a.external_id = i.external_id
         ON CONFLICT (account_id, captured_at) WHERE source = 'crm' DO UPDATE SET arr = excluded.arr WHERE s.arr IS DISTINCT FROM excluded.arr
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted)::int AS created FROM written`,
      [connectionId, kept.map((p) => p.accountExternalId), kept.map((p) => p.at), kept.map((p) => p.arr)],
    );
    return created;
  }

  /** The accounts' ARR history has been stored ('all': every account of the connection). */
  async markArrHistoryRead(connectionId: string, externalIds: string[] | 'all'): Promise<void> {
    if (externalIds === 'all') {
      await this.db.query(`UPDATE accounts SET arr_history_due = false WHERE connection_id = $1 AND arr_history_due`, [connectionId]);
      return;
    }
    await this.db.query(`UPDATE accounts SET arr_history_due = false WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND arr_history_due`, [
      connectionId,
      externalIds,
    ]);
  }
}
