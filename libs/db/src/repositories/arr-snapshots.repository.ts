import { EntityManager } from 'typeorm';

/** One value from a CRM's ARR field history (the connector's CrmArrPoint). */
export interface ArrPointRow {
  accountExternalId: string;
  at: string;
  arr: string | null;
}

/** One ARR value of an account at an instant, as the health's activity axis reads it. */
export interface ArrTrendPoint {
  account_id: string;
  arr: string;
  at: Date;
}

/**
 * arr_snapshots: an account's ARR over time (rules §7 activity axis). The sync adds a 'sync'
 * snapshot whenever ARR changes (accounts.repository upsertPage); the CRM's own field history
 * is stored beside them as source 'crm'.
 */
export class ArrSnapshotsRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Stores ARR points from the CRM's field history as source 'crm' snapshots: one per (account,
   * instant), so reading the same history again adds nothing; a point whose value the CRM now
   * reports differently is corrected. Emptied values (null) are not ARR and are skipped; the
   * currency is the account's. Returns how many points were new.
   */
  async storeCrmHistory(connectionId: string, points: ArrPointRow[]): Promise<number> {
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

  /** The accounts' ARR trend, oldest first: the CRM's own field history where it keeps one for the account, else the sync's snapshots (rules §7). */
  async trendOf(accountIds: string[]): Promise<ArrTrendPoint[]> {
    return this.db.query(
      `SELECT s.account_id, s.arr::text, s.captured_at AS at FROM arr_snapshots s
       WHERE s.account_id = ANY($1::uuid[])
         AND (s.source = 'crm' OR NOT EXISTS (SELECT 1 FROM arr_snapshots c WHERE c.account_id = s.account_id AND c.source = 'crm'))
       ORDER BY s.captured_at`,
      [accountIds],
    );
  }
}
