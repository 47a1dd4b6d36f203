import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';
import { column, SyncedRecords, WriteCounts, writeCounts } from '../synced-records';

/** A contact's relation with an account as the sync writes it: the CRM's role labels plus the normalised role. */
export interface ContactRoleRow {
  externalId: string;
  accountExternalId: string;
  contactExternalId: string;
  roles: string[];
  role: string;
  modifiedAt: string;
}

/** contact_roles: which contact plays which role at which account, as the CRM says; a contact's role comes from here. */
export class ContactRolesRepository implements SyncedRecords {
  constructor(private readonly db: EntityManager) {}

  /** One page of relations, upserted by (connection, external id). */
  async upsertPage(connectionId: string, rows: ContactRoleRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT t.external_id, t.account_external_id, t.contact_external_id, t.role, t.remote_modified_at,
                string_to_array(t.roles_joined, chr(31)) AS source_roles
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           AS t(external_id, account_external_id, contact_external_id, roles_joined, role, remote_modified_at)),
       old AS (
         -- One index lookup per row of the page, whatever the statistics say (OFFSET 0 keeps it from being flattened
         -- into a plain join, which stale statistics turned into hashing all of the connection's rows for every page).
         SELECT r.* FROM input i CROSS JOIN LATERAL (SELECT * FROM contact_roles r WHERE r.connection_id = $1 AND r.external_id = i.external_id OFFSET 0) r),
       up AS (
         INSERT INTO contact_roles AS r (connection_id, external_id, account_external_id, contact_external_id, source_roles, role, remote_modified_at)
         SELECT $1, external_id, account_external_id, contact_external_id, coalesce(source_roles, '{}'), role, remote_modified_at FROM input
         ON CONFLICT (connection_id, external_id) DO UPDATE
           SET account_external_id = excluded.account_external_id, contact_external_id = excluded.contact_external_id,
               source_roles = excluded.source_roles, role = excluded.role, remote_modified_at = excluded.remote_modified_at,
               last_seen_at = now(), deleted_at = NULL, updated_at = now()
         RETURNING external_id, source_roles, role, (xmax = 0) AS inserted)
       SELECT up.inserted,
              (old.deleted_at IS NOT NULL OR (old.source_roles, old.role) IS DISTINCT FROM (up.source_roles, up.role)) AS changed
       FROM up LEFT JOIN old USING (external_id)`,
      [
        connectionId,
        column(rows, 'externalId'),
        column(rows, 'accountExternalId'),
        column(rows, 'contactExternalId'),
        // text[][] must be rectangular in Postgres: pass each list joined by a unit separator.
        rows.map((r) => (r.roles.length ? r.roles.join('\u001f') : null)),
        column(rows, 'role'),
        column(rows, 'modifiedAt'),
      ],
    );
    return writeCounts(result);
  }

  /**
   * For vendors that report all roles of an account or contact at once: soft-deletes the stored
   * relations of those accounts/contacts that are not in `keepExternalIds`.
   */
  async deleteNotIn(connectionId: string, scope: { accountExternalIds?: string[]; contactExternalIds?: string[] }, keepExternalIds: string[]): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE contact_roles SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL
         AND (account_external_id = ANY($2::text[]) OR contact_external_id = ANY($3::text[]))
         AND NOT (external_id = ANY($4::text[]))
       RETURNING 1`,
      [connectionId, scope.accountExternalIds ?? [], scope.contactExternalIds ?? [], keepExternalIds],
    );
    return affectedCount(result);
  }

  async markDeleted(connectionId: string, externalIds: string[]): Promise<number> {
    if (!externalIds.length) return 0;
    const result: unknown = await this.db.query(
      `UPDATE contact_roles SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1`,
      [connectionId, externalIds],
    );
    return affectedCount(result);
  }

  async sweepUnseen(connectionId: string, since: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE contact_roles SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1`,
      [connectionId, since],
    );
    return affectedCount(result);
  }

  /** Links relations that arrived before their account or contact. */
  async linkAccountsAndContacts(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE contact_roles r SET account_id = a.id, contact_id = c.id
       FROM accounts a, contacts c
       WHERE r.connection_id = $1 AND a.connection_id = $1 AND c.connection_id = $1
         AND a.external_id = r.account_external_id AND c.external_id = r.contact_external_id
         AND (r.account_id IS DISTINCT FROM a.id OR r.contact_id IS DISTINCT FROM c.id)`,
      [connectionId],
    );
  }

  /**
   * A relation outlives neither of its ends (run at the end of a complete sync, when every live
   * account and contact the vendor has is stored).
   */
  async deleteWithoutBothEnds(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE contact_roles r SET deleted_at = now(), updated_at = now()
       WHERE r.connection_id = $1 AND r.deleted_at IS NULL AND (
         NOT EXISTS (SELECT 1 FROM accounts a WHERE a.connection_id = $1 AND a.external_id = r.account_external_id AND a.deleted_at IS NULL)
         OR NOT EXISTS (SELECT 1 FROM contacts c WHERE c.connection_id = $1 AND c.external_id = r.contact_external_id AND c.deleted_at IS NULL))`,
      [connectionId],
    );
  }

  /** A removed source's relations (rules §4 "Removed sources"). */
  async softDeleteForConnection(connectionId: string): Promise<void> {
    await this.db.query(`UPDATE contact_roles SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL`, [connectionId]);
  }
}
