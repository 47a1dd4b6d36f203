import { EntityManager } from 'typeorm';

/** An account's health as computed (rules §7), with the CRM field values queued with it. */
export interface AccountHealthRecord {
  accountId: string;
  sentiment: string | null;
  quadrant: string;
  relationalNps: number | null;
  decisionMakerNps: number | null;
  endUserNps: number | null;
  roleGap: number | null;
  roleGapFlagged: boolean;
  responses12m: number;
  lastResponseDate: string | null;
  activity: string;
  activityBasis: string;
  computedAt: Date;
  /** The field values just queued for the CRM: merged into those queued before. */
  queuedCrmFields: Record<string, unknown>;
}

/** What a response's permalink page shows of its account's health. */
export interface PermalinkAccountHealth {
  quadrant: string;
  sentiment: string | null;
  relationalNps: string | null;
  responses12m: number;
  computedAt: Date;
}

/** account_health: one row per account, rewritten by every health refresh. */
export class AccountHealthRepository {
  constructor(private readonly db: EntityManager) {}

  async store(health: AccountHealthRecord): Promise<void> {
    await this.storeAll([health]);
  }

  /**
   * Many accounts' health in one statement (a refresh stores a chunk at once): the quadrant
   * totals' statement triggers then run once for the chunk instead of once per account. An
   * account given twice keeps the last.
   */
  async storeAll(records: readonly AccountHealthRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = [...new Map(records.map((h) => [h.accountId, h])).values()].map((h) => ({
      account_id: h.accountId,
      sentiment: h.sentiment,
      quadrant: h.quadrant,
      relational_nps: h.relationalNps,
      decision_maker_nps: h.decisionMakerNps,
      end_user_nps: h.endUserNps,
      role_gap: h.roleGap,
      role_gap_flagged: h.roleGapFlagged,
      responses_12m: h.responses12m,
      last_response_date: h.lastResponseDate,
      activity: h.activity,
      activity_basis: h.activityBasis,
      computed_at: h.computedAt.toISOString(),
      crm_fields: h.queuedCrmFields,
    }));
    await this.db.query(
      `INSERT INTO account_health (account_id, sentiment, quadrant, relational_nps, decision_maker_nps, end_user_nps, role_gap,
                                   role_gap_flagged, responses_12m, last_response_date, activity, activity_basis, computed_at, crm_fields)
       SELECT account_id, sentiment, quadrant, relational_nps, decision_maker_nps, end_user_nps, role_gap,
              role_gap_flagged, responses_12m, last_response_date, activity, activity_basis, computed_at, crm_fields
       FROM jsonb_to_recordset($1::jsonb) AS r(account_id uuid, sentiment text, quadrant text, relational_nps numeric, decision_maker_nps numeric,
              end_user_nps numeric, role_gap numeric, role_gap_flagged boolean, responses_12m integer, last_response_date date, activity text,
              activity_basis text, computed_at timestamptz, crm_fields jsonb)
       ON CONFLICT (account_id) DO UPDATE SET sentiment = excluded.sentiment, quadrant = excluded.quadrant,
         relational_nps = excluded.relational_nps, decision_maker_nps = excluded.decision_maker_nps, end_user_nps = excluded.end_user_nps,
         role_gap = excluded.role_gap, role_gap_flagged = excluded.role_gap_flagged, responses_12m = excluded.responses_12m,
         last_response_date = excluded.last_response_date, activity = excluded.activity, activity_basis = excluded.activity_basis,
         computed_at = excluded.computed_at, crm_fields = account_health.crm_fields || excluded.crm_fields`,
      [JSON.stringify(rows)],
    );
  }

  async summaryOf(accountId: string): Promise<PermalinkAccountHealth | null> {
    const [row] = await this.db.query(
      `SELECT quadrant, sentiment, relational_nps::text AS "relationalNps", responses_12m AS "responses12m", computed_at AS "computedAt"
       FROM account_health WHERE account_id = $1`,
      [accountId],
    );
    return row ?? null;
  }

  /** A field update the CRM refused for good: forgotten, so the next refresh queues those fields again. */
  async forgetQueuedFields(connectionId: string, accountExternalId: string, fieldNames: string[]): Promise<void> {
    await this.db.query(
      `UPDATE account_health h SET crm_fields = h.crm_fields - $3::text[]
            FROM accounts a WHERE h.account_id = a.id AND a.connection_id = $1 AND a.external_id = $2`,
      [connectionId, accountExternalId, fieldNames],
    );
  }
}
