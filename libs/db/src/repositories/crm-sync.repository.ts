import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';

/** Rows as the sync writes them: the connector's records plus the normalised role. */
export interface OwnerRow {
  externalId: string;
  name: string | null;
  email: string | null;
  active: boolean;
}

export interface AccountRow {
  externalId: string;
  name: string;
  arr: string | null;
  arrCurrency: string | null;
  renewalDate: string | null;
  tier: string | null;
  customerSince: string | null;
  ownerExternalId: string | null;
  usageScore: string | null;
  modifiedAt: string;
}

export interface ContactRow {
  externalId: string;
  accountExternalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  modifiedAt: string;
}

export interface ContactRoleRow {
  externalId: string;
  accountExternalId: string;
  contactExternalId: string;
  roles: string[];
  role: string;
  modifiedAt: string;
}

export interface WriteCounts {
  created: number;
  updated: number;
}

export type SyncedTable = 'crm_owners' | 'accounts' | 'contacts' | 'contact_roles';

function counts(rows: Array<{ inserted: boolean; changed: boolean }>): WriteCounts {
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    if (row.inserted) created++;
    else if (row.changed) updated++;
  }
  return { created, updated };
}

const col = <T, K extends keyof T>(rows: T[], key: K): Array<T[K]> => rows.map((r) => r[key]);

/**
 * The set-based writes of CRM sync, each one statement per page (unnest of arrays), run on the
 * caller's transaction so a page and its cursor commit together. "Changed" compares the row as
 * it was before the statement (CTEs share one snapshot), so re-reading a record that did not
 * change counts as neither created nor updated.
 */
export class CrmSyncRepository {
  constructor(private readonly db: EntityManager) {}

  /** Locks the connection row FOR SHARE when it is live; false when it was deleted meanwhile. */
  async holdLiveConnection(connectionId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT id FROM connections WHERE id = $1 AND deleted_at IS NULL FOR SHARE`, [connectionId]);
    return rows.length === 1;
  }

  async upsertOwners(connectionId: string, rows: OwnerRow[]): Promise<WriteCounts> {
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
      [connectionId, col(rows, 'externalId'), col(rows, 'name'), col(rows, 'email'), col(rows, 'active')],
    );
    return counts(result);
  }

  /**
   * Upserts accounts and records an ARR snapshot for every new or changed ARR. Every account a
   * sync read is marked arr_history_due until the CRM's ARR history for it has been stored.
   */
  async upsertAccounts(connectionId: string, rows: AccountRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[], $6::date[], $7::text[], $8::date[],
                              $9::text[], $10::numeric[], $11::timestamptz[])
           AS t(external_id, name, arr, arr_currency, renewal_date, tier, customer_since, owner_external_id, usage_score, remote_modified_at)),
       old AS (
         SELECT a.* FROM accounts a JOIN input i USING (external_id) WHERE a.connection_id = $1),
       up AS (
         INSERT INTO accounts AS a (connection_id, external_id, name, arr, arr_currency, renewal_date, tier, customer_since,
                                    owner_external_id, usage_score, remote_modified_at, arr_history_due)
         SELECT $1, external_id, name, arr, arr_currency, renewal_date, tier, customer_since, owner_external_id, usage_score,
                remote_modified_at, true FROM input
         ON CONFLICT (connection_id, external_id) DO UPDATE
           SET name = excluded.name, arr = excluded.arr, arr_currency = excluded.arr_currency,
               renewal_date = excluded.renewal_date, tier = excluded.tier, customer_since = excluded.customer_since,
               owner_external_id = excluded.owner_external_id, usage_score = excluded.usage_score,
               remote_modified_at = excluded.remote_modified_at, last_seen_at = now(), deleted_at = NULL, updated_at = now(),
               arr_history_due = true
         RETURNING id, external_id, name, arr, arr_currency, renewal_date, tier, customer_since, owner_external_id, usage_score,
                   (xmax = 0) AS inserted),
       snapshots AS (
         INSERT INTO arr_snapshots (account_id, arr, arr_currency)
         SELECT up.id, up.arr, up.arr_currency FROM up LEFT JOIN old USING (external_id)
         WHERE up.arr IS NOT NULL AND (old.id IS NULL OR old.arr IS DISTINCT FROM up.arr OR old.arr_currency IS DISTINCT FROM up.arr_currency))
       SELECT up.inserted,
              (old.deleted_at IS NOT NULL OR
               (old.name, old.arr, old.arr_currency, old.renewal_date, old.tier, old.customer_since, old.owner_external_id, old.usage_score)
               IS DISTINCT FROM
               (up.name, up.arr, up.arr_currency, up.renewal_date, up.tier, up.customer_since, up.owner_external_id, up.usage_score)) AS changed
       FROM up LEFT JOIN old USING (external_id)`,
      [
        connectionId,
        col(rows, 'externalId'),
        col(rows, 'name'),
        col(rows, 'arr'),
        col(rows, 'arrCurrency'),
        col(rows, 'renewalDate'),
        col(rows, 'tier'),
        col(rows, 'customerSince'),
        col(rows, 'ownerExternalId'),
        col(rows, 'usageScore'),
        col(rows, 'modifiedAt'),
      ],
    );
    return counts(result);
  }

  async upsertContacts(connectionId: string, rows: ContactRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           AS t(external_id, account_external_id, email, first_name, last_name, remote_modified_at)),
       old AS (
         SELECT c.* FROM contacts c JOIN input i USING (external_id) WHERE c.connection_id = $1),
       up AS (
         INSERT INTO contacts AS c (connection_id, external_id, account_external_id, account_id, email, first_name, last_name, remote_modified_at)
         SELECT $1, i.external_id, i.account_external_id,
                (SELECT a.id FROM accounts a WHERE a.connection_id = $1 AND a.external_id = i.account_external_id),
                i.email, i.first_name, i.last_name, i.remote_modified_at
         FROM input i
         ON CONFLICT (connection_id, external_id) DO UPDATE
           SET account_external_id = excluded.account_external_id, account_id = excluded.account_id, email = excluded.email,
               first_name = excluded.first_name, last_name = excluded.last_name,
               remote_modified_at = excluded.remote_modified_at, last_seen_at = now(), deleted_at = NULL, updated_at = now()
         RETURNING external_id, account_external_id, email, first_name, last_name, (xmax = 0) AS inserted)
       SELECT up.inserted,
              (old.deleted_at IS NOT NULL OR
               (old.account_external_id, old.email, old.first_name, old.last_name)
               IS DISTINCT FROM (up.account_external_id, up.email, up.first_name, up.last_name)) AS changed
       FROM up LEFT JOIN old USING (external_id)`,
      [
        connectionId,
        col(rows, 'externalId'),
        col(rows, 'accountExternalId'),
        col(rows, 'email'),
        col(rows, 'firstName'),
        col(rows, 'lastName'),
        col(rows, 'modifiedAt'),
      ],
    );
    return counts(result);
  }

  async upsertContactRoles(connectionId: string, rows: ContactRoleRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT t.external_id, t.account_external_id, t.contact_external_id, t.role, t.remote_modified_at,
                string_to_array(t.roles_joined, chr(31)) AS source_roles
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           AS t(external_id, account_external_id, contact_external_id, roles_joined, role, remote_modified_at)),
       old AS (
         SELECT r.* FROM contact_roles r JOIN input i USING (external_id) WHERE r.connection_id = $1),
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
        col(rows, 'externalId'),
        col(rows, 'accountExternalId'),
        col(rows, 'contactExternalId'),
        // text[][] must be rectangular in Postgres: pass each list joined by a unit separator.
        rows.map((r) => (r.roles.length ? r.roles.join('\u001f') : null)),
        col(rows, 'role'),
        col(rows, 'modifiedAt'),
      ],
    );
    return counts(result);
  }

  /**
   * For vendors that report all roles of an account or contact at once: soft-deletes the stored
   * relations of those accounts/contacts that are not in `keepExternalIds`.
   */
  async deleteRolesNotIn(
    connectionId: string,
    scope: { accountExternalIds?: string[]; contactExternalIds?: string[] },
    keepExternalIds: string[],
  ): Promise<number> {
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

  async markDeleted(connectionId: string, table: SyncedTable, externalIds: string[]): Promise<number> {
    if (!externalIds.length) return 0;
    const result: unknown = await this.db.query(
      `UPDATE ${table} SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1`,
      [connectionId, externalIds],
    );
    return affectedCount(result);
  }

  /** After a complete full read: whatever was not seen since it began no longer exists. */
  async sweepUnseen(connectionId: string, table: SyncedTable, since: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE ${table} SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1`,
      [connectionId, since],
    );
    return affectedCount(result);
  }

  /**
   * Links rows that arrived before what they reference (a contact before its account, a role
   * before its contact) and sets each contact's role from its relation with its primary account.
   */
  async resolveReferences(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE contacts c SET account_id = a.id, updated_at = now()
       FROM accounts a
       WHERE c.connection_id = $1 AND a.connection_id = $1 AND a.external_id = c.account_external_id
         AND c.account_id IS DISTINCT FROM a.id`,
      [connectionId],
    );
    await this.db.query(
      `UPDATE contact_roles r SET account_id = a.id, contact_id = c.id
       FROM accounts a, contacts c
       WHERE r.connection_id = $1 AND a.connection_id = $1 AND c.connection_id = $1
         AND a.external_id = r.account_external_id AND c.external_id = r.contact_external_id
         AND (r.account_id IS DISTINCT FROM a.id OR r.contact_id IS DISTINCT FROM c.id)`,
      [connectionId],
    );
    // A relation outlives neither of its ends (run at the end of a complete sync, when every
    // live account and contact the vendor has is stored).
    await this.db.query(
      `UPDATE contact_roles r SET deleted_at = now(), updated_at = now()
       WHERE r.connection_id = $1 AND r.deleted_at IS NULL AND (
         NOT EXISTS (SELECT 1 FROM accounts a WHERE a.connection_id = $1 AND a.external_id = r.account_external_id AND a.deleted_at IS NULL)
         OR NOT EXISTS (SELECT 1 FROM contacts c WHERE c.connection_id = $1 AND c.external_id = r.contact_external_id AND c.deleted_at IS NULL))`,
      [connectionId],
    );
    await this.db.query(
      `UPDATE contacts c SET role = coalesce(r.role, 'other'), source_roles = coalesce(r.source_roles, '{}'), updated_at = now()
       FROM contacts c2
       LEFT JOIN contact_roles r ON r.connection_id = c2.connection_id AND r.contact_external_id = c2.external_id
                                 AND r.account_external_id = c2.account_external_id AND r.deleted_at IS NULL
       WHERE c.id = c2.id AND c.connection_id = $1
         AND (c.role, c.source_roles) IS DISTINCT FROM (coalesce(r.role, 'other'), coalesce(r.source_roles, '{}'))`,
      [connectionId],
    );
  }
}
