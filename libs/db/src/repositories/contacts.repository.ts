import { EntityManager } from 'typeorm';
import type { ContactRole } from '../row-values';
import { affectedCount } from '../query-result';
import { column, SyncedRecords, WriteCounts, writeCounts } from '../synced-records';

/** A contact as the sync writes it (the connector's contact record). */
export interface ContactRow {
  externalId: string;
  accountExternalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  modifiedAt: string;
}

/** A contact with what the survey rules need to know about them (opted out through any survey, or in the CRM). */
export interface PlanningContact {
  id: string;
  email: string | null;
  first_name: string | null;
  role: ContactRole;
  opted_out: boolean;
  account_id: string;
  connection_id: string;
}

/** A quarterly wave candidate: whether its account is active, whether this quarter's survey is planned already. */
export type QuarterlyCandidate = PlanningContact & { account_active: boolean; planned: boolean };

/** A live contact found by email (lower case), with its account's segment inputs (null without an account). */
export interface EmailContact {
  id: string;
  email: string;
  account_id: string | null;
  role: ContactRole;
  tier: string | null;
  arr: string | null;
  customer_since: string | null;
}

/** A contact with its latest settled answer per stream (one row per stream; no answer: one row of nulls). */
export interface ContactLatestScores {
  id: string;
  external_id: string;
  connection_id: string;
  kind: string;
  settings: Record<string, unknown>;
  crm_nps_fields: Record<string, unknown>;
  stream: 'relational' | 'transactional' | null;
  score: number | null;
  category: string | null;
  comment: string | null;
  at: Date | null;
}

/** The live contacts the rules judge, with whether they opted out; `where` refers to the contact as `c`. */
function planningContactsSql(where: string): string {
  return `SELECT c.id, c.email, c.first_name, c.role, c.account_id, c.connection_id,
                 (c.unsubscribed_at IS NOT NULL OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.email = lower(c.email))) AS opted_out
          FROM contacts c WHERE c.deleted_at IS NULL AND ${where}`;
}

/** contacts: the CRM's people, written by the sync, surveyed by the planners, given their scores back. */
export class ContactsRepository implements SyncedRecords {
  constructor(private readonly db: EntityManager) {}

  /** One page of contacts, upserted by (connection, external id), linked to their account when it is stored already. */
  async upsertPage(connectionId: string, rows: ContactRow[]): Promise<WriteCounts> {
    if (!rows.length) return { created: 0, updated: 0 };
    const result: Array<{ inserted: boolean; changed: boolean }> = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           AS t(external_id, account_external_id, email, first_name, last_name, remote_modified_at)),
       old AS (
         -- One index lookup per row of the page, whatever the statistics say (OFFSET 0 keeps it from being flattened
         -- into a plain join, which stale statistics turned into hashing all of the connection's rows for every page).
         SELECT c.* FROM input i CROSS JOIN LATERAL (SELECT * FROM contacts c WHERE c.connection_id = $1 AND c.external_id = i.external_id OFFSET 0) c),
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
        column(rows, 'externalId'),
        column(rows, 'accountExternalId'),
        column(rows, 'email'),
        column(rows, 'firstName'),
        column(rows, 'lastName'),
        column(rows, 'modifiedAt'),
      ],
    );
    return writeCounts(result);
  }

  async markDeleted(connectionId: string, externalIds: string[]): Promise<number> {
    if (!externalIds.length) return 0;
    const result: unknown = await this.db.query(
      `UPDATE contacts SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1`,
      [connectionId, externalIds],
    );
    return affectedCount(result);
  }

  async sweepUnseen(connectionId: string, since: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE contacts SET deleted_at = now(), updated_at = now()
       WHERE connection_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1`,
      [connectionId, since],
    );
    return affectedCount(result);
  }

  /** Links contacts that arrived before their account. */
  async linkAccounts(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE contacts c SET account_id = a.id, updated_at = now()
       FROM accounts a
       WHERE c.connection_id = $1 AND a.connection_id = $1 AND a.external_id = c.account_external_id
         AND c.account_id IS DISTINCT FROM a.id`,
      [connectionId],
    );
  }

  /** Each contact's role is the one of its live relation with its primary account ('other' without one). */
  async takeRolesFromPrimaryAccount(connectionId: string): Promise<void> {
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

  /** A removed source's contacts: no survey is planned for them again (rules §4 "Removed sources"). */
  async softDeleteForConnection(connectionId: string): Promise<number> {
    const result = await this.db.query(`UPDATE contacts SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL RETURNING id`, [connectionId]);
    return affectedCount(result);
  }

  /** The account's live contacts, as the pre-renewal plan judges them. */
  async ofAccountForPlanning(accountId: string): Promise<PlanningContact[]> {
    return this.db.query(planningContactsSql('c.account_id = $1'), [accountId]);
  }

  /**
   * The next `limit` live contacts with an account after contact id `after`, in id order, for the
   * quarterly wave of `quarter` (read only: the plan decides per contact afterwards).
   */
  async quarterlyCandidatesAfter(after: string, quarter: string, limit: number): Promise<QuarterlyCandidate[]> {
    return this.db.query(
      `SELECT * FROM (${planningContactsSql('c.id > $1 AND c.account_id IS NOT NULL')}) c
         CROSS JOIN LATERAL (SELECT a.active AND a.deleted_at IS NULL AS account_active FROM accounts a WHERE a.id = c.account_id) a
         CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM surveys s WHERE s.idempotency_key = 'quarterly:' || $2 || ':' || c.id::text) AS planned) p
       ORDER BY c.id LIMIT ${Math.trunc(limit)}`,
      [after, quarter],
    );
  }

  /** Live contacts with this address (any case): who a ticket's requester is in the CRM. */
  async liveByEmail(email: string): Promise<Array<{ id: string; email: string | null; account_id: string | null }>> {
    return this.db.query(`SELECT id, email, account_id FROM contacts WHERE lower(email) = lower($1) AND deleted_at IS NULL`, [email]);
  }

  /** Which of these addresses (lower case) belong to a live CRM contact, so a survey to them is attributed. */
  async liveEmailsAmong(emails: string[]): Promise<Set<string>> {
    if (!emails.length) return new Set();
    const rows: Array<{ email: string }> = await this.db.query(`SELECT DISTINCT lower(email) AS email FROM contacts WHERE lower(email) = ANY($1::text[]) AND deleted_at IS NULL`, [
      emails.map((e) => e.toLowerCase()),
    ]);
    return new Set(rows.map((r) => r.email));
  }

  /** The contact's role now (deleted contacts too: an answer keeps the role its person had). */
  async roleOf(contactId: string): Promise<ContactRole | undefined> {
    const [contact] = await this.db.query(`SELECT role FROM contacts WHERE id = $1`, [contactId]);
    return contact?.role;
  }

  /**
   * Live contacts with any of these addresses (lower case), with what their answers' snapshot needs
   * from their account. Each address and each contact's account is looked up by its index (OFFSET 0
   * and LIMIT keep the lookups apart): as one join it was planned as a scan of every contact and
   * every account, once per batch of an import, so a batch cost more the larger the CRM.
   */
  async liveByEmails(emails: readonly string[]): Promise<EmailContact[]> {
    if (!emails.length) return [];
    return this.db.query(
      `SELECT c.id, c.email, c.account_id, c.role, a.tier, a.arr::text AS arr, to_char(a.customer_since, 'YYYY-MM-DD') AS customer_since
       FROM (SELECT DISTINCT email FROM unnest($1::text[]) AS u(email)) e
       CROSS JOIN LATERAL (SELECT id, e.email, account_id, role FROM contacts WHERE lower(email) = e.email AND deleted_at IS NULL OFFSET 0) c
       LEFT JOIN LATERAL (SELECT tier, arr, customer_since FROM accounts WHERE id = c.account_id LIMIT 1) a ON true`,
      [emails],
    );
  }

  /** Opt-outs (lower-case addresses, with their time) reach every contact with the address; the first time is kept. */
  async markUnsubscribedAmong(optOuts: ReadonlyArray<{ email: string; at: Date }>): Promise<void> {
    if (!optOuts.length) return;
    await this.db.query(
      `UPDATE contacts c SET unsubscribed_at = t.at FROM unnest($1::text[], $2::timestamptz[]) AS t(email, at)
       WHERE lower(c.email) = t.email AND c.unsubscribed_at IS NULL`,
      [optOuts.map((o) => o.email), optOuts.map((o) => o.at)],
    );
  }

  /** A contact that appeared after its address opted out (a survey link, an imported unsubscribe or bounce) is unsubscribed. */
  async applyOptOuts(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE contacts c SET unsubscribed_at = o.opted_out_at FROM opt_outs o
       WHERE c.connection_id = $1 AND c.unsubscribed_at IS NULL AND c.deleted_at IS NULL AND o.email = lower(c.email)`,
      [connectionId],
    );
  }

  /** An opt-out reaches every contact with the address; the first opt-out time is kept. */
  async markUnsubscribed(email: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE contacts SET unsubscribed_at = coalesce(unsubscribed_at, $2) WHERE lower(email) = lower($1)`, [email, at]);
  }

  /** Live contacts of live connections among `ids`, with their latest settled answer per stream and the NPS field values last queued. */
  async latestScores(ids: readonly string[]): Promise<ContactLatestScores[]> {
    return this.db.query(
      `SELECT c.id, c.external_id, c.connection_id, k.kind, k.settings, c.crm_nps_fields, r.stream, r.score, r.category, r.comment, r.settled_at AS at
       FROM contacts c JOIN connections k ON k.id = c.connection_id
       LEFT JOIN LATERAL (
         SELECT DISTINCT ON (stream) stream, score, category, comment, settled_at FROM responses
         WHERE contact_id = c.id AND settled_at IS NOT NULL ORDER BY stream, settled_at DESC
       ) r ON true
       WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL AND k.deleted_at IS NULL`,
      [ids],
    );
  }

  /** The NPS field values just queued for the CRM, so only later changes are queued again. */
  async recordQueuedNpsFields(contactId: string, fields: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE contacts SET crm_nps_fields = crm_nps_fields || $2::jsonb WHERE id = $1`, [contactId, JSON.stringify(fields)]);
  }

  /** A field update the CRM refused for good: forgotten, so the next refresh queues those fields again. */
  async forgetQueuedNpsFields(connectionId: string, externalId: string, fieldNames: string[]): Promise<void> {
    await this.db.query(`UPDATE contacts SET crm_nps_fields = crm_nps_fields - $3::text[] WHERE connection_id = $1 AND external_id = $2`, [connectionId, externalId, fieldNames]);
  }
}
