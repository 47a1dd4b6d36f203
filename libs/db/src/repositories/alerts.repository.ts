import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';
import type { ContactRole, SurveyStream } from '../row-values';

export type AlertState = 'new' | 'acknowledged';

/** An alert as the rules found it, to be kept once per (cause, period). */
export interface NewAlert {
  cause: string;
  period: string;
  kind: string;
  stream: SurveyStream;
  message: string;
  details: Record<string, unknown>;
}

export interface AlertRow {
  id: string;
  cause: string;
  period: string;
  kind: string;
  stream: SurveyStream;
  message: string;
  details: Record<string, unknown>;
  state: AlertState;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  /** Each channel's outbox state (`email`, `webhook`): pending, delivering, delivered, failed. */
  deliveries: Record<string, { status: string; attempts: number; lastError: string | null; deliveredAt: Date | null }>;
}

/** Promoters, passives and detractors of one stream in one calendar quarter (settled responses). */
export interface QuarterCountRow {
  quarter: string;
  promoters: number;
  passives: number;
  detractors: number;
}

/** A settled detractor comment, for the emerging-theme rule. */
export interface DetractorCommentRow {
  score: number;
  comment: string;
  at: Date;
}

/** What a settle changed, for the alerts cheap enough to judge at once. */
export interface SettledForAlertsRow {
  stream: SurveyStream;
  account_id: string | null;
  category: string;
  at: Date;
}

export interface CoverageAnswerRow {
  account_id: string;
  role: ContactRole | null;
  at: Date;
}

const ALERT_COLUMNS = `a.id, a.cause, a.period, a.kind, a.stream, a.message, a.details, a.state, a.raised_at AS "raisedAt", a.acknowledged_at AS "acknowledgedAt",
  coalesce((SELECT jsonb_object_agg(split_part(o.operation, '.', 2), jsonb_build_object('status', o.status, 'attempts', o.attempts,
                   'lastError', o.last_error, 'deliveredAt', o.delivered_at))
            FROM outbox o WHERE o.alert_id = a.id), '{}'::jsonb) AS deliveries`;

/**
 * alerts: each raised once per cause and period (rules §9), with its state; and the named reads
 * the alert rules need from responses and accounts (settled answers only, as reports count them).
 */
export class AlertsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Keeps the alerts not kept yet; returns only those this call inserted (a repeat inserts none). */
  async raise(alerts: readonly NewAlert[], now: Date): Promise<Array<{ id: string; cause: string; period: string }>> {
    if (alerts.length === 0) return [];
    const result = await this.db.query(
      `INSERT INTO alerts (cause, period, kind, stream, message, details, raised_at)
       SELECT x.cause, x.period, x.kind, x.stream, x.message, x.details, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(cause text, period text, kind text, stream text, message text, details jsonb)
       ON CONFLICT (cause, period) DO NOTHING
       RETURNING id, cause, period`,
      [JSON.stringify(alerts), now],
    );
    return returnedRows<{ id: string; cause: string; period: string }>(result);
  }

  /** Newest first, optionally of one state and one stream. */
  async list(filter: { state: AlertState | null; stream: SurveyStream | null; limit: number }): Promise<AlertRow[]> {
    return this.db.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts a
       WHERE ($1::text IS NULL OR a.state = $1) AND ($2::text IS NULL OR a.stream = $2)
       ORDER BY a.raised_at DESC, a.id LIMIT $3`,
      [filter.state, filter.stream, filter.limit],
    );
  }

  async byId(id: string): Promise<AlertRow | undefined> {
    const [row] = await this.db.query(`SELECT ${ALERT_COLUMNS} FROM alerts a WHERE a.id = $1`, [id]);
    return row;
  }

  /** New → acknowledged (the first acknowledgement's time is kept); false when there is no such alert. */
  async acknowledge(id: string, now: Date): Promise<boolean> {
    const result = await this.db.query(`UPDATE alerts SET state = 'acknowledged', acknowledged_at = coalesce(acknowledged_at, $2) WHERE id = $1 RETURNING id`, [id, now]);
    return returnedRows(result).length > 0;
  }

  // ---- what the rules read ----

  /** The settled responses among `ids`: their stream, account, category and settle time. */
  async settledForAlerts(ids: readonly string[]): Promise<SettledForAlertsRow[]> {
    return this.db.query(`SELECT stream, account_id, category, settled_at AS at FROM responses WHERE id = ANY($1::uuid[]) AND settled_at IS NOT NULL`, [ids]);
  }

  /** Category counts of one stream per calendar quarter (UTC, by settle time) up to `now`, as `2026-Q1`. */
  async quarterCounts(stream: SurveyStream, now: Date): Promise<QuarterCountRow[]> {
    return this.db.query(
      `SELECT to_char(settled_at AT TIME ZONE 'UTC', 'YYYY-"Q"Q') AS quarter,
              count(*) FILTER (WHERE category = 'promoter')::int AS promoters,
              count(*) FILTER (WHERE category = 'passive')::int AS passives,
              count(*) FILTER (WHERE category = 'detractor')::int AS detractors
       FROM responses WHERE stream = $1 AND settled_at IS NOT NULL AND settled_at <= $2
       GROUP BY 1 ORDER BY 1`,
      [stream, now],
    );
  }

  /** Settled detractor comments of one stream within [from, to]. */
  async detractorComments(stream: SurveyStream, from: Date, to: Date): Promise<DetractorCommentRow[]> {
    return this.db.query(
      `SELECT score, comment, settled_at AS at FROM responses
       WHERE stream = $1 AND category = 'detractor' AND settled_at BETWEEN $2 AND $3 AND comment IS NOT NULL AND btrim(comment) <> ''`,
      [stream, from, to],
    );
  }

  /** Accounts with a settled relational answer from a contact within [from, to] (role gaps are judged per account). */
  async accountsAnsweredBetween(from: Date, to: Date): Promise<string[]> {
    const rows: Array<{ account_id: string }> = await this.db.query(
      `SELECT DISTINCT account_id FROM responses
       WHERE stream = 'relational' AND account_id IS NOT NULL AND contact_id IS NOT NULL AND settled_at BETWEEN $1 AND $2`,
      [from, to],
    );
    return rows.map((r) => r.account_id);
  }

  /** Live accounts and their ARR (exact decimal text; null when the CRM has none). */
  async activeAccountArr(): Promise<Array<{ account_id: string; arr: string | null }>> {
    return this.db.query(`SELECT id AS account_id, arr::text AS arr FROM accounts WHERE deleted_at IS NULL ORDER BY id`);
  }

  /** Settled relational answers within [from, to] with the role stored with them (revenue coverage). */
  async relationalRolesBetween(from: Date, to: Date): Promise<CoverageAnswerRow[]> {
    return this.db.query(
      `SELECT account_id, role_snapshot AS role, settled_at AS at FROM responses
       WHERE stream = 'relational' AND account_id IS NOT NULL AND settled_at BETWEEN $1 AND $2`,
      [from, to],
    );
  }
}
