import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';
import { column, SyncedRecords, WriteCounts, writeCounts } from '../synced-records';

/** The first key of the advisory locks that serialise health refreshes per account (its own key space). */
const HEALTH_REFRESH_LOCKS = 7_001;

/** An account as the sync writes it (the connector's account record). */
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

/** An account the health refresh recomputes, with its CRM connection and the field values last queued. */
export interface HealthRefreshAccount {
  id: string;
  external_id: string;
  connection_id: string;
  kind: string;
  settings: Record<string, unknown>;
  usage_score: string | null;
  crm_fields: Record<string, unknown> | null;
}

/** An account renewing inside the pre-renewal window, with the renewal dates already surveyed. */
export interface PreRenewalAccount {
  id: string;
  renewal_date: string;
  surveyed: string[] | null;
}

/** What a response's segment snapshot needs from its account. */
export interface AccountSegment {
  tier: string | null;
  arr: string | null;
  customer_since: string | null;
}

/** accounts: the CRM's customer accounts, written by the sync, read by planning, health and sending. */
export class AccountsRepository implements SyncedRecords {
  constructor(private readonly db: EntityManager) {}

  /**
   * One page of accounts, upserted by (connection, external id), with an ARR snapshot for every new
   * or changed ARR. Every account a sync read is marked arr_history_due until the CRM's ARR
   * history for it has been stored.
   */
  async upsertPage(connectionId: string, rows: AccountRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[], $6::date[], $7::text[], $8::date[],
                              $9::text[], $10::numeric[], $11::timestamptz[])
           AS t(external_id, name, arr, arr_currency, renewal_date, tier, customer_since, owner_external_id, usage_score, remote_modified_at)),
       old AS (
         -- One index lookup per row of the page, whatever the statistics say (OFFSET 0 keeps it from being flattened
         -- into a plain join, which stale statistics turned into hashing all of the connection's rows for every page).
         SELECT a.* FROM input i CROSS JOIN LATERAL (SELECT * FROM accounts a WHERE a.connection_id = $1 AND a.external_id = i.external_id OFFSET 0) a),
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
        column(rows, 'externalId'),
        column(rows, 'name'),
        column(rows, 'arr'),
        column(rows, 'arrCurrency'),
        column(rows, 'renewalDate'),
        column(rows, 'tier'),
        column(rows, 'customerSince'),
        column(rows, 'ownerExternalId'),
        column(rows, 'usageScore'),
        column(rows, 'modifiedAt'),
      ],
    );
    return writeCounts(result);
  }

  async markDeleted(connectionId: string, externalIds: string[]): Promise<number> {
    if (!externalIds.length) return 0;
    const result: unknown = await this.db.query(
      `UPDATE accounts SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1`,
      [connectionId, externalIds],
    );
    return affectedCount(result);
  }

  async sweepUnseen(connectionId: string, since: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE accounts SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1`,
      [connectionId, since],
    );
    return affectedCount(result);
  }

  /** Up to `limit` external ids of the connection's accounts whose CRM ARR history is still to be read. */
  async dueForArrHistory(connectionId: string, limit: number): Promise<string[]> {
    const rows: Array<{ external_id: string }> = await this.db.query(
      `SELECT external_id FROM accounts WHERE connection_id = $1 AND arr_history_due ORDER BY external_id LIMIT $2`,
      [connectionId, limit],
    );
    return rows.map((r) => r.external_id);
  }

  /** Every account of the connection has its ARR history stored (or the CRM keeps none). */
  async markAllArrHistoryRead(connectionId: string): Promise<void> {
    await this.db.query(`UPDATE accounts SET arr_history_due = false WHERE connection_id = $1 AND arr_history_due`, [connectionId]);
  }

  /** These accounts' ARR history has been stored. */
  async markArrHistoryRead(connectionId: string, externalIds: string[]): Promise<void> {
    await this.db.query(`UPDATE accounts SET arr_history_due = false WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND arr_history_due`, [connectionId, externalIds]);
  }

  /** A removed source's accounts: no survey is planned for them again (rules §4 "Removed sources"). */
  async softDeleteForConnection(connectionId: string): Promise<number> {
    const result = await this.db.query(`UPDATE accounts SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL RETURNING id`, [connectionId]);
    return affectedCount(result);
  }

  /** The next `limit` live account ids after `after`, in id order: the nightly health refresh walks them in chunks. */
  async liveIdsAfter(after: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM accounts WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`, [after, limit]);
    return rows.map((r) => r.id);
  }

  /**
   * Serialises health refreshes of the same accounts until the transaction ends, so two refreshes
   * queue nothing twice. Advisory locks (taken in id order), not row locks: a refresh must not
   * hold the accounts rows the sync's page upserts write, or the two wait on each other and
   * deadlock (they lock rows in different orders).
   */
  async lockHealthRefreshOf(ids: readonly string[]): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(${HEALTH_REFRESH_LOCKS}, hashtext(id::text)) FROM unnest($1::uuid[]) AS id ORDER BY id`, [ids]);
  }

  /** The live accounts of live connections among `ids`, with what a health refresh reads. */
  async forHealthRefresh(ids: readonly string[]): Promise<HealthRefreshAccount[]> {
    return this.db.query(
      `SELECT a.id, a.external_id, a.connection_id, c.kind, c.settings, a.usage_score::text, h.crm_fields
       FROM accounts a JOIN connections c ON c.id = a.connection_id
       LEFT JOIN account_health h ON h.account_id = a.id
       WHERE a.id = ANY($1::uuid[]) AND a.deleted_at IS NULL AND c.deleted_at IS NULL
       ORDER BY a.id`,
      [ids],
    );
  }

  /** Live, active accounts renewing between `minDays` and `maxDays` calendar days (UTC) after `now`, with the renewal dates already surveyed. */
  async renewingBetween(now: Date, minDays: number, maxDays: number): Promise<PreRenewalAccount[]> {
    return this.db.query(
      `SELECT a.id, to_char(a.renewal_date, 'YYYY-MM-DD') AS renewal_date,
              (SELECT array_agg(DISTINCT s.source_ref) FROM surveys s
                WHERE s.account_id = a.id AND s.trigger = 'pre_renewal' AND s.status <> 'cancelled') AS surveyed
       FROM accounts a
       WHERE a.deleted_at IS NULL AND a.active
         AND a.renewal_date BETWEEN ($1::timestamptz AT TIME ZONE 'UTC')::date + $2::int AND ($1::timestamptz AT TIME ZONE 'UTC')::date + $3::int`,
      [now, minDays, maxDays],
    );
  }

  /** Account names by id (deleted accounts too: a plan preview still names them). */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.db.query(`SELECT id, name FROM accounts WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The live account a helpdesk organization names by its CRM id (the helpdesk compares ids case-insensitively); the oldest if several. */
  async liveIdByCrmId(crmId: string | null): Promise<string | null> {
    const [account] = await this.db.query(`SELECT id FROM accounts WHERE lower(external_id) = lower($1) AND deleted_at IS NULL ORDER BY created_at LIMIT 1`, [crmId]);
    return (account?.id as string | undefined) ?? null;
  }

  /** The account owner a survey email names as the customer's CSM: only a live owner with an address. */
  async csmOf(accountId: string): Promise<{ name: string | null; email: string } | undefined> {
    const [csm] = await this.db.query(
      `SELECT o.name, o.email FROM accounts a JOIN crm_owners o ON o.connection_id = a.connection_id AND o.external_id = a.owner_external_id
           WHERE a.id = $1 AND o.email IS NOT NULL AND o.deleted_at IS NULL`,
      [accountId],
    );
    return csm;
  }

  async segmentOf(accountId: string): Promise<AccountSegment | undefined> {
    const [account] = await this.db.query(`SELECT tier, arr, to_char(customer_since, 'YYYY-MM-DD') AS customer_since FROM accounts WHERE id = $1`, [accountId]);
    return account;
  }
}
