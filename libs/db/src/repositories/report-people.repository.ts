import { EntityManager } from 'typeorm';

/** An account as its view shows it. */
export interface AccountViewRow {
  id: string;
  externalId: string;
  name: string;
  tier: string | null;
  arr: string | null;
  renewalDate: string | null;
  customerSince: string | null;
  active: boolean;
  removed: boolean;
}

/** An account as a search lists it: what tells accounts apart, and its health as last computed. */
export interface AccountSearchRow {
  id: string;
  externalId: string;
  name: string;
  tier: string | null;
  arr: string | null;
  renewalDate: string | null;
  removed: boolean;
  quadrant: string | null;
  responses12m: number | null;
}

/** A person as their view shows them. */
export interface PersonViewRow {
  id: string;
  externalId: string;
  name: string | null;
  email: string | null;
  role: string;
  accountId: string | null;
  accountName: string | null;
  /** When the contact unsubscribed, or their email opted out; null while they may be surveyed. */
  unsubscribedAt: Date | null;
}

const ANSWER_COLUMNS = `r.id, r.stream, r.trigger, r.score, r.category, r.comment, r.themes, r.role_snapshot AS role,
  r.first_answered_at AS "answeredAt", r.settled_at AS "settledAt", r.contact_id AS "contactId"`;

/** Reads for the account and person views (rules §9 item 1): accounts, contacts, responses, surveys, follow-ups of one of them. */
export class ReportPeopleRepository {
  constructor(private readonly db: EntityManager) {}

  async account(accountId: string): Promise<AccountViewRow | undefined> {
    const [row] = await this.db.query(
      `SELECT id, external_id AS "externalId", name, tier, arr::text AS arr, to_char(renewal_date, 'YYYY-MM-DD') AS "renewalDate",
              to_char(customer_since, 'YYYY-MM-DD') AS "customerSince", active, deleted_at IS NOT NULL AS removed
       FROM accounts WHERE id = $1`,
      [accountId],
    );
    return row;
  }

  /**
   * Accounts whose name contains `text` or whose CRM id starts with it (case-insensitive; `%`, `_`
   * and backslashes match themselves), an exact CRM id first, then names that start with it, then by name;
   * accounts of a removed source after the live ones. One page of `limit`, and how many match.
   */
  async searchAccounts(text: string, limit: number, offset: number): Promise<{ rows: AccountSearchRow[]; total: number }> {
    const like = text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows: Array<AccountSearchRow & { total: number }> = await this.db.query(
      `SELECT a.id, a.external_id AS "externalId", a.name, a.tier, a.arr::text AS arr, to_char(a.renewal_date, 'YYYY-MM-DD') AS "renewalDate",
              a.deleted_at IS NOT NULL AS removed, h.quadrant, h.responses_12m AS "responses12m", count(*) OVER ()::int AS total
       FROM accounts a LEFT JOIN account_health h ON h.account_id = a.id
       WHERE a.name ILIKE '%' || $1 || '%' OR a.external_id ILIKE $1 || '%'
       ORDER BY a.deleted_at IS NOT NULL, lower(a.external_id) = lower($2) DESC, a.name ILIKE $1 || '%' DESC, lower(a.name), a.id
       LIMIT $3 OFFSET $4`,
      [like, text, limit, offset],
    );
    return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? (offset > 0 ? await this.countAccounts(like) : 0) };
  }

  /** How many accounts a search matches (a page past the last one still says how many there are). */
  private async countAccounts(like: string): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM accounts a WHERE a.name ILIKE '%' || $1 || '%' OR a.external_id ILIKE $1 || '%'`, [like]);
    return row.n;
  }

  /** The account's health as last computed (rules §7), or undefined before the first computation. */
  async accountHealth(accountId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.query(
      `SELECT quadrant, sentiment, relational_nps::float8 AS "relationalNps", decision_maker_nps::float8 AS "decisionMakerNps",
              end_user_nps::float8 AS "endUserNps", role_gap::float8 AS "roleGap", role_gap_flagged AS "roleGapFlagged",
              responses_12m AS "responses12m", to_char(last_response_date, 'YYYY-MM-DD') AS "lastResponseDate", activity,
              activity_basis AS "activityBasis", computed_at AS "computedAt"
       FROM account_health WHERE account_id = $1`,
      [accountId],
    );
    return row;
  }

  /** The account's people with their role (rules §3), decision makers first; unsubscribed as the person view says (the contact, or their email's opt-out). */
  async accountPeople(accountId: string): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT c.id, c.external_id AS "externalId", nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') AS name, c.email, c.role,
              c.unsubscribed_at IS NOT NULL OR o.email IS NOT NULL AS unsubscribed
       FROM contacts c LEFT JOIN opt_outs o ON o.email = lower(c.email)
       WHERE c.account_id = $1 AND c.deleted_at IS NULL
       ORDER BY array_position(ARRAY['decision_maker', 'admin', 'end_user', 'other'], c.role), c.id`,
      [accountId],
    );
  }

  /** The account's responses, newest first (settled or not), at most `limit`. */
  async accountAnswers(accountId: string, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.db.query(`SELECT ${ANSWER_COLUMNS} FROM responses r WHERE r.account_id = $1 ORDER BY r.first_answered_at DESC, r.id LIMIT $2`, [accountId, limit]);
  }

  /** The follow-ups of the account's responses, newest first, at most `limit`. */
  async accountFollowUps(accountId: string, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT f.id, f.response_id AS "responseId", f.kind, f.status, f.priority, f.due_at AS "dueAt", f.completed_at AS "completedAt",
              f.skip_reason AS "skipReason", f.target_system AS "targetSystem", f.created_at AS "createdAt"
       FROM follow_ups f JOIN responses r ON r.id = f.response_id
       WHERE r.account_id = $1 ORDER BY f.created_at DESC, f.id LIMIT $2`,
      [accountId, limit],
    );
  }

  async person(contactId: string): Promise<PersonViewRow | undefined> {
    const [row] = await this.db.query(
      `SELECT c.id, c.external_id AS "externalId", nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') AS name, c.email, c.role,
              c.account_id AS "accountId", a.name AS "accountName", coalesce(c.unsubscribed_at, o.opted_out_at) AS "unsubscribedAt"
       FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN opt_outs o ON o.email = lower(c.email)
       WHERE c.id = $1`,
      [contactId],
    );
    return row;
  }

  /** The person's answers, newest first. */
  async personAnswers(contactId: string, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.db.query(`SELECT ${ANSWER_COLUMNS} FROM responses r WHERE r.contact_id = $1 ORDER BY r.first_answered_at DESC, r.id LIMIT $2`, [contactId, limit]);
  }

  /** Every survey planned for the person (by contact, or by their email), newest plan first. */
  async personSurveys(contactId: string, email: string | null, limit: number): Promise<Array<Record<string, unknown>>> {
    // Two index lookups (surveys_contact_idx, surveys_recipient_idx) rather than one OR that scans every survey.
    const columns = `id, stream, trigger, status, skip_reason AS "skipReason", scheduled_at AS "scheduledAt", sent_at AS "sentAt"`;
    const byEmail = email === null ? '' : `UNION SELECT ${columns} FROM surveys WHERE lower(email) = lower($3)`;
    return this.db.query(
      `SELECT * FROM (SELECT ${columns} FROM surveys WHERE contact_id = $1 ${byEmail}) s ORDER BY "scheduledAt" DESC, id LIMIT $2`,
      email === null ? [contactId, limit] : [contactId, limit, email],
    );
  }
}
