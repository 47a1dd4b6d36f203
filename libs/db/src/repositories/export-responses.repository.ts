import { EntityManager } from 'typeorm';
import type { ContactRole, ResponseCategory, SurveyStream, SurveyTrigger } from '../row-values';

/** One follow-up of an exported response, its state as stored when its page was read. */
export interface ExportedFollowUp {
  kind: string;
  status: string;
  dueAt: string | null;
  completedAt: string | null;
  skipReason: string | null;
}

/**
 * A response as the exports carry it: the answer, the segment snapshot frozen when it was given
 * (rules §3), its themes and follow-ups. Instants are ISO 8601 UTC text with the microseconds
 * Postgres keeps, so an export compares exactly with the table and a cursor loses nothing.
 */
export interface ExportedResponse {
  id: string;
  stream: SurveyStream;
  trigger: SurveyTrigger;
  score: number;
  category: ResponseCategory;
  comment: string | null;
  themes: string[];
  referenceOptIn: boolean;
  role: ContactRole | null;
  tier: string | null;
  arrBand: string | null;
  tenureBand: string | null;
  enterprise: boolean | null;
  answeredAt: string;
  settledAt: string | null;
  updatedAt: string;
  accountId: string | null;
  accountExternalId: string | null;
  accountName: string | null;
  contactId: string | null;
  contactExternalId: string | null;
  email: string;
  followUps: ExportedFollowUp[];
}

/** Which responses an export takes: one stream or both, answered within [from, to] (UTC calendar dates, inclusive). */
export interface ResponseExportFilter {
  stream: SurveyStream | null;
  from: string | null;
  to: string | null;
}

/** A position in the warehouse feed: the last (updated_at, id) delivered. */
export interface FeedPosition {
  updatedAt: string;
  id: string;
}

/** The smallest uuid: a keyset walk by id starts after it (gen_random_uuid never makes it). */
export const BEFORE_EVERY_RESPONSE = '00000000-0000-0000-0000-000000000000';

/** Where the feed starts: before every change. */
export const FEED_START: FeedPosition = { updatedAt: '-infinity', id: BEFORE_EVERY_RESPONSE };

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const EXPORTED_COLUMNS = `
  r.id, r.stream, r.trigger, r.score, r.category, r.comment, r.themes, r.reference_opt_in AS "referenceOptIn",
  r.role_snapshot AS role, r.tier_snapshot AS tier, r.arr_band_snapshot AS "arrBand", r.tenure_band_snapshot AS "tenureBand",
  r.enterprise_snapshot AS enterprise, ${iso('r.first_answered_at')} AS "answeredAt", ${iso('r.settled_at')} AS "settledAt",
  ${iso('r.updated_at')} AS "updatedAt", r.account_id AS "accountId", a.external_id AS "accountExternalId", a.name AS "accountName",
  r.contact_id AS "contactId", c.external_id AS "contactExternalId", coalesce(s.email, r.import_email) AS email, coalesce(f.list, '[]'::json) AS "followUps"
  FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
  LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('kind', fu.kind, 'status', fu.status, 'dueAt', ${iso('fu.due_at')},
                                      'completedAt', ${iso('fu.completed_at')}, 'skipReason', fu.skip_reason) ORDER BY fu.created_at, fu.kind) AS list
    FROM follow_ups fu WHERE fu.response_id = r.id) f ON true`;

/** The filter's conditions on `r`, its values at $2 (stream), $3 (from), $4 (to). */
const FILTERED = `($2::text IS NULL OR r.stream = $2)
  AND ($3::date IS NULL OR r.first_answered_at >= ($3::date)::timestamp AT TIME ZONE 'UTC')
  AND ($4::date IS NULL OR r.first_answered_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')`;

/**
 * Changes younger than this wait for a later feed call: updated_at is the writing transaction's
 * start, so a transaction still committing could otherwise land behind a cursor already handed out.
 */
const FEED_QUIET_SECONDS = 10;

/**
 * responses read for the exports, one named statement each: a keyset walk by id (the CSV, each
 * response once however long the walk) and the warehouse feed's walk by (updated_at, id).
 */
export class ExportResponsesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Up to `limit` responses with an id after `afterId`, in id order. */
  async pageById(filter: ResponseExportFilter, afterId: string, limit: number): Promise<ExportedResponse[]> {
    return this.db.query(`SELECT ${EXPORTED_COLUMNS} WHERE r.id > $1 AND ${FILTERED} ORDER BY r.id LIMIT $5`, [afterId, filter.stream, filter.from, filter.to, limit]);
  }

  /**
   * Where a feed page of at most `limit` responses after `after` ends: the last position it
   * covers, or null when nothing changed since (or only within the quiet seconds).
   */
  async feedPageEnd(stream: SurveyStream | null, after: FeedPosition, limit: number): Promise<FeedPosition | null> {
    const [end] = await this.db.query(
      `SELECT ${iso('updated_at')} AS "updatedAt", id FROM (
         SELECT updated_at, id FROM responses r
         WHERE (r.updated_at, r.id) > ($1::timestamptz, $2::uuid) AND ($3::text IS NULL OR r.stream = $3)
           AND r.updated_at < now() - make_interval(secs => $5)
         ORDER BY r.updated_at, r.id LIMIT $4) page
       ORDER BY updated_at DESC, id DESC LIMIT 1`,
      [after.updatedAt, after.id, stream, limit, FEED_QUIET_SECONDS],
    );
    return end ?? null;
  }

  /** Up to `limit` responses after `after` and at or before `end`, in (updated_at, id) order. */
  async feedPage(stream: SurveyStream | null, after: FeedPosition, end: FeedPosition, limit: number): Promise<ExportedResponse[]> {
    return this.db.query(
      `SELECT ${EXPORTED_COLUMNS}
       WHERE (r.updated_at, r.id) > ($1::timestamptz, $2::uuid) AND (r.updated_at, r.id) <= ($3::timestamptz, $4::uuid)
         AND ($5::text IS NULL OR r.stream = $5)
       ORDER BY r.updated_at, r.id LIMIT $6`,
      [after.updatedAt, after.id, end.updatedAt, end.id, stream, limit],
    );
  }
}
