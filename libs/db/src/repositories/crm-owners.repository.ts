import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';
import { column, SyncedRecords, WriteCounts, writeCounts } from '../synced-records';

/** A CRM user as the sync writes it (the connector's owner record). */
export interface OwnerRow {
  externalId: string;
  name: string | null;
  email: string | null;
  active: boolean;
}

/** crm_owners: the CRM's users (account owners, the CSM a survey email names), kept by the sync. */
export class CrmOwnersRepository implements SyncedRecords {
  constructor(private readonly db: EntityManager) {}

  /** One page of owners, upserted by (connection, external id) in one statement. */
  async upsertPage(connectionId: string, rows: OwnerRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[]) AS t(external_id, name, email, active)),
       old AS (
         SELECT o.* FROM crm_owners o JOIN input i USING (external_id) WHERE o.connection_id = $1),
       up AS (
         INSERT INTO crm_owners AS o (connection_id, external_id, name, email, active)
         SELECT $1, external_id, name, email, active FROM input
         ON CONFLICT (connection_id, external_id) DO UPDATE
           SET name = excluded.name, email = excluded.email, active = excluded.active,
               last_seen_at = now(), deleted_at = NULL,
               updated_at = CASE WHEN (o.name, o.email, o.active) IS DISTINCT FROM (excluded.name, excluded.email, excluded.active)
                                 THEN now() ELSE o.updated_at END
         RETURNING external_id, name, email, active, (xmax = 0) AS inserted)
       SELECT up.inserted,
              (old.deleted_at IS NOT NULL OR (old.name, old.email, old.active) IS DISTINCT FROM (up.name, up.email, up.active)) AS changed
       FROM up LEFT JOIN old USING (external_id)`,
      [connectionId, column(rows, 'externalId'), column(rows, 'name'), column(rows, 'email'), column(rows, 'active')],
    );
    return writeCounts(result);
  }

  async markDeleted(connectionId: string, externalIds: string[]): Promise<number> {
    if (!externalIds.length) return 0;
    const result: unknown = await this.db.query(
      `UPDATE crm_owners SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1`,
      [connectionId, externalIds],
    );
    return affectedCount(result);
  }

  async sweepUnseen(connectionId: string, since: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE crm_owners SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1`,
      [connectionId, since],
    );
    return affectedCount(result);
  }
}
