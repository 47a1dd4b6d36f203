import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';
import { COPY_NULL, copyBoolean, copyField, copyJson, copyTextArray, copyTimestamp } from '../copy-text';
import { returnedRows } from '../query-result';
import type { ContactRole } from '../row-values';
import type { ResponseCategory } from '../row-values';
import type { SurveyStream, SurveyTrigger } from '../row-values';

/** A response's first score, with the segment snapshot frozen at that moment (rules §3). */
export interface FirstScore {
  surveyId: string;
  stream: SurveyStream;
  trigger: SurveyTrigger;
  contactId: string | null;
  accountId: string | null;
  score: number;
  category: ResponseCategory;
  snapshot: { role: string; tier: string | null; arrBand: string | null; tenureBand: string | null; enterprise: boolean };
  at: Date;
}

/** A settled response with what its follow-ups need: the survey, the contact, the account and both connections. */
export interface SettledResponseRow {
  id: string;
  stream: SurveyStream;
  trigger: SurveyTrigger;
  score: number;
  comment: string | null;
  reference_opt_in: boolean;
  settled_at: Date;
  role_snapshot: ContactRole | null;
  contact_id: string | null;
  account_id: string | null;
  email: string;
  respondent_name: string | null;
  context: Record<string, string | null | undefined>;
  source_connection_id: string | null;
  /** The source helpdesk connection's kind (the follow-up's target system). */
  helpdesk_kind: string | null;
  contact_external_id: string | null;
  account_external_id: string | null;
  account_name: string | null;
  tier: string | null;
  arr: string | null;
  renewal_date: string | null;
  owner_external_id: string | null;
  crm_connection_id: string | null;
  crm_kind: string | null;
}

/** A settled relational answer of an account's contact, as account health counts it (rules §7). */
export interface AccountHealthAnswer {
  account_id: string;
  contact_id: string;
  role: ContactRole;
  score: number;
  at: Date;
}

/** The answer a permalink shows (rules §6), as stored. */
export interface PermalinkAnswer {
  responseId: string;
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment: string | null;
  referenceOptIn: boolean;
  stream: 'relational' | 'transactional';
  trigger: string;
  role: string | null;
  answeredAt: Date;
  settledAt: Date | null;
  email: string;
  respondentName: string | null;
  contactId: string | null;
  accountId: string | null;
  accountName: string | null;
  ticketId: string | null;
}

export interface EarlierAnswer {
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment: string | null;
  stream: 'relational' | 'transactional';
  trigger: string;
  answeredAt: Date;
}

/** The segment snapshot stored with a response (rules §3); null fields are unknown. */
export interface ResponseSnapshot {
  role: string;
  tier: string | null;
  arrBand: string | null;
  tenureBand: string | null;
  enterprise: boolean;
}

/** An imported answer (rules §10) as its response row: no survey, settled at its original time, with its import key. */
export interface ImportedAnswerRow {
  id: string;
  /** The source's id of the answer: (source, ref) is its key. */
  ref: string;
  stream: SurveyStream;
  trigger: SurveyTrigger;
  contactId: string | null;
  accountId: string | null;
  score: number;
  category: ResponseCategory;
  comment: string | null;
  themes: readonly string[];
  /** Null while the answer has no CRM contact. */
  snapshot: ResponseSnapshot | null;
  answeredAt: Date;
  /** The source's last change (its updated_at), else the answer time. */
  changedAt: Date;
  /** Lower case. */
  email: string;
  /** What the source said beyond the answer: name, person id, tags, person properties, its own extras. */
  details: Record<string, unknown>;
}

/** The import a batch of answers belongs to. */
export interface ImportedBatch {
  source: string;
  importId: string;
  now: Date;
}

/** What a batch of imported answers added: the rows that were new, those of them with a contact, and the watched ids among them. */
export interface ImportedInsert {
  inserted: number;
  matched: number;
  watched: string[];
}

const UNIQUE_VIOLATION = '23505';
const IMPORT_COPY_COLUMNS = `id, stream, trigger, contact_id, account_id, score, category, comment, themes, role_snapshot, tier_snapshot, arr_band_snapshot,
  tenure_band_snapshot, enterprise_snapshot, first_answered_at, last_changed_at, settled_at, import_source, import_ref, import_id, import_email,
  import_matched_at, import_details`;
/** Rows per string handed to COPY: a few hundred kilobytes at most in one piece. */
const COPY_ROWS_PER_CHUNK = 250;
/** The five snapshot fields of a row without a contact (role, tier, ARR band, tenure band, enterprise). */
const NO_SNAPSHOT = `${COPY_NULL}\t${COPY_NULL}\t${COPY_NULL}\t${COPY_NULL}\t${COPY_NULL}`;

/**
 * The rows as COPY text (IMPORT_COPY_COLUMNS), in strings of COPY_ROWS_PER_CHUNK rows. Each row is
 * one template (no array of fields joined); the values the batch shares are written once.
 */
function* importCopyChunks(batch: ImportedBatch, rows: readonly ImportedAnswerRow[]): Generator<string> {
  const source = copyField(batch.source);
  const matchedAt = copyTimestamp(batch.now);
  // The columns from import_source to import_id: the same for every row but its key.
  const keyedBy = `\t${source}\t`;
  const importId = `\t${batch.importId}\t`;
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const answeredAt = copyTimestamp(r.answeredAt);
    const changedAt = r.changedAt.getTime() === r.answeredAt.getTime() ? answeredAt : copyTimestamp(r.changedAt);
    const s = r.snapshot;
    const snapshot = s ? `${copyField(s.role)}\t${copyField(s.tier)}\t${copyField(s.arrBand)}\t${copyField(s.tenureBand)}\t${copyBoolean(s.enterprise)}` : NO_SNAPSHOT;
    const themes = r.themes.length ? copyTextArray(r.themes) : '{}';
    const answer = `${copyField(r.stream)}\t${copyField(r.trigger)}\t${copyField(r.contactId)}\t${copyField(r.accountId)}\t${r.score}\t${copyField(r.category)}`;
    const times = `${answeredAt}\t${changedAt}\t${answeredAt}`; // settled at the original time
    const matched = r.contactId !== null ? matchedAt : COPY_NULL;
    chunk += `${r.id}\t${answer}\t${copyField(r.comment)}\t${themes}\t${snapshot}\t${times}${keyedBy}${copyField(r.ref)}${importId}${copyField(r.email)}\t${matched}\t${copyJson(r.details)}\n`;
    if ((i + 1) % COPY_ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** An imported answer that found its CRM contact in a later sync. */
export interface ImportedAnswerMatch {
  id: string;
  contactId: string;
  accountId: string | null;
  snapshot: ResponseSnapshot;
}

/** An imported answer still without a CRM contact, whose email a live contact of the connection now has. */
export interface UnmatchedImportedAnswer {
  id: string;
  email: string;
  answered_at: Date;
}

/** responses: scored, changed until they settle, settled once (rules §5); one method per statement. */
export class ResponsesRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Settles up to `batch` responses whose last change is `settleMinutes` old, across workers
   * (SKIP LOCKED), at last change + settleMinutes; returns their ids. A settled one is never taken again.
   */
  async settleDue(now: Date, settleMinutes: number, batch: number): Promise<string[]> {
    const result = await this.db.query(
      `UPDATE responses SET settled_at = last_changed_at + make_interval(mins => $2), updated_at = now()
           WHERE id IN (SELECT id FROM responses WHERE settled_at IS NULL AND last_changed_at <= $1::timestamptz - make_interval(mins => $2)
                        ORDER BY last_changed_at LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
      [now, settleMinutes, batch],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  /** A changed score on the page; a settled response keeps its answer. */
  async changeScore(surveyId: string, score: number, category: ResponseCategory, now: Date): Promise<void> {
    await this.db.query(`UPDATE responses SET score = $2, category = $3, last_changed_at = $4, updated_at = now() WHERE survey_id = $1 AND settled_at IS NULL`, [
      surveyId,
      score,
      category,
      now,
    ]);
  }

  /** The first score; a second one (another tab) merges into the same response unless it settled. */
  async recordFirstScore(first: FirstScore): Promise<void> {
    const { snapshot } = first;
    await this.db.query(
      `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, tier_snapshot,
                                arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot, first_answered_at, last_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (survey_id) DO UPDATE SET score = excluded.score, category = excluded.category, last_changed_at = excluded.last_changed_at
           WHERE responses.settled_at IS NULL`,
      [
        first.surveyId,
        first.stream,
        first.trigger,
        first.contactId,
        first.accountId,
        first.score,
        first.category,
        snapshot.role,
        snapshot.tier,
        snapshot.arrBand,
        snapshot.tenureBand,
        snapshot.enterprise,
        first.at,
      ],
    );
  }

  /**
   * The comment settles the response (once: an already settled one is left alone and no id comes
   * back). The reference opt-in counts for promoters only, judged on the stored category.
   */
  async settleWithComment(surveyId: string, comment: string | null, themes: readonly string[], referenceOptIn: boolean, now: Date): Promise<string[]> {
    const result = await this.db.query(
      `UPDATE responses SET comment = $2, themes = $3, reference_opt_in = ($4 AND category = 'promoter'), settled_at = $5, updated_at = now()
         WHERE survey_id = $1 AND settled_at IS NULL RETURNING id`,
      [surveyId, comment, themes, referenceOptIn, now],
    );
    return returnedRows<{ id: string }>(result).map((r) => r.id);
  }

  /**
   * Imported answers, settled at their original time (reports date them there) and never by the
   * settle worker. A key (source, ref) imported before, or earlier in the batch, is left alone.
   * Returns how many rows were new, how many of those have a contact, and which of `watched` were
   * new (in `rows` order).
   *
   * In a transaction the new rows go in by COPY: the keys already kept are read first, each key
   * of the batch is kept once (the first, as an insert's ON CONFLICT DO NOTHING keeps it), and
   * the rest is streamed in COPY's text format, which costs Postgres less than an insert of the
   * same rows from one JSON parameter (1,000 imported rows in one session, triggers and indexes
   * included: 77-94 ms against 115-129 ms; it no longer parses the JSON). Should another writer add
   * one of these keys meanwhile, the COPY fails on the unique key, is undone to a savepoint, and
   * the batch goes in by that insert instead (insertImportedSkippingKept).
   */
  async insertImported(batch: ImportedBatch, rows: readonly ImportedAnswerRow[], watched: readonly string[] = []): Promise<ImportedInsert> {
    if (!rows.length) return { inserted: 0, matched: 0, watched: [] };
    const runner = this.db.queryRunner;
    if (!runner?.isTransactionActive) return this.insertImportedSkippingKept(batch, rows, watched);
    const refs = new Set<string>();
    const unique = rows.filter((r) => !refs.has(r.ref) && refs.add(r.ref));
    const [{ kept }]: Array<{ kept: string[] }> = await this.db.query(
      `SELECT coalesce(array_agg(import_ref), '{}') AS kept FROM responses WHERE import_source = $1 AND import_ref = ANY($2::text[])`,
      [batch.source, [...refs]],
    );
    const known = new Set(kept);
    const fresh = known.size ? unique.filter((r) => !known.has(r.ref)) : unique;
    if (!fresh.length) return { inserted: 0, matched: 0, watched: [] };
    const client = (await runner.connect()) as PoolClient;
    await this.db.query(`SAVEPOINT import_copy`);
    try {
      await pipeline(Readable.from(importCopyChunks(batch, fresh)), client.query(copyFrom(`COPY responses (${IMPORT_COPY_COLUMNS}) FROM STDIN`)));
      await this.db.query(`RELEASE SAVEPOINT import_copy`);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error; // the caller's transaction ends with it
      await this.db.query(`ROLLBACK TO SAVEPOINT import_copy`);
      return this.insertImportedSkippingKept(batch, rows, watched);
    }
    const added = new Set(fresh.map((r) => r.id));
    return { inserted: fresh.length, matched: fresh.filter((r) => r.contactId !== null).length, watched: watched.filter((id) => added.has(id)) };
  }

  /**
   * The same in one multi-row insert that skips the keys already kept (ON CONFLICT DO NOTHING),
   * its rows one JSON array of arrays (times as Unix seconds); what it added comes back as one row.
   */
  async insertImportedSkippingKept(batch: ImportedBatch, rows: readonly ImportedAnswerRow[], watched: readonly string[] = []): Promise<ImportedInsert> {
    if (!rows.length) return { inserted: 0, matched: 0, watched: [] };
    const list = rows as ImportedAnswerRow[];
    const json = JSON.stringify(
      list.map((r) => [
        r.id,
        r.ref,
        r.stream,
        r.trigger,
        r.contactId,
        r.accountId,
        r.score,
        r.category,
        r.comment,
        r.themes,
        r.snapshot?.role ?? null,
        r.snapshot?.tier ?? null,
        r.snapshot?.arrBand ?? null,
        r.snapshot?.tenureBand ?? null,
        r.snapshot?.enterprise ?? null,
        r.answeredAt.getTime() / 1000,
        r.changedAt.getTime() / 1000,
        r.email,
        r.details,
      ]),
    );
    const [result]: Array<{ inserted: number; matched: number; watched: string[] }> = await this.db.query(
      `WITH inserted AS (
         INSERT INTO responses (id, stream, trigger, contact_id, account_id, score, category, comment, themes, role_snapshot, tier_snapshot,
                                arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot, first_answered_at, last_changed_at, settled_at,
                                import_source, import_ref, import_id, import_email, import_matched_at, import_details)
         SELECT (r->>0)::uuid, r->>2, r->>3, (r->>4)::uuid, (r->>5)::uuid, (r->>6)::smallint, r->>7, r->>8, ARRAY(SELECT jsonb_array_elements_text(r->9)),
                r->>10, r->>11, r->>12, r->>13, (r->>14)::boolean, to_timestamp((r->>15)::float8), to_timestamp((r->>16)::float8), to_timestamp((r->>15)::float8),
                $2, r->>1, $3, r->>17, CASE WHEN r->>4 IS NOT NULL THEN $4::timestamptz END, r->18
         FROM jsonb_array_elements($1::jsonb) AS r
         ON CONFLICT (import_source, import_ref) WHERE import_source IS NOT NULL DO NOTHING
         RETURNING id, contact_id)
       SELECT count(*)::int AS inserted, count(contact_id)::int AS matched, coalesce(array_agg(id::text) FILTER (WHERE id = ANY($5::uuid[])), '{}') AS watched
       FROM inserted`,
      [json, batch.source, batch.importId, batch.now, watched],
    );
    const added = new Set(result.watched);
    return { inserted: result.inserted, matched: result.matched, watched: watched.filter((id) => added.has(id)) };
  }

  /**
   * Up to `limit` imported answers without a contact whose email belongs to a live contact of
   * this connection now (rules §10: matched when the email appears in a later sync).
   */
  async unmatchedImportedOfConnection(connectionId: string, limit: number): Promise<UnmatchedImportedAnswer[]> {
    return this.db.query(
      `SELECT r.id, r.import_email AS email, r.first_answered_at AS answered_at FROM responses r
       WHERE r.import_source IS NOT NULL AND r.import_matched_at IS NULL
         AND r.import_email IN (SELECT lower(c.email) FROM contacts c WHERE c.connection_id = $1 AND c.deleted_at IS NULL AND c.email IS NOT NULL)
       ORDER BY r.import_email, r.id LIMIT $2`,
      [connectionId, limit],
    );
  }

  /**
   * Imported answers still without a contact get the one their email now belongs to, with its
   * snapshot; every id in `waiting` is marked matched (an answer is matched once).
   */
  async attachImported(waiting: readonly string[], matches: readonly ImportedAnswerMatch[], now: Date): Promise<void> {
    if (!waiting.length) return;
    const list = matches as ImportedAnswerMatch[];
    await this.db.query(
      `UPDATE responses r SET contact_id = coalesce(t.contact_id, r.contact_id), account_id = coalesce(t.account_id, r.account_id),
              role_snapshot = coalesce(t.role, r.role_snapshot), tier_snapshot = coalesce(t.tier, r.tier_snapshot),
              arr_band_snapshot = coalesce(t.arr_band, r.arr_band_snapshot), tenure_band_snapshot = coalesce(t.tenure_band, r.tenure_band_snapshot),
              enterprise_snapshot = coalesce(t.enterprise, r.enterprise_snapshot), import_matched_at = $10, updated_at = now()
       FROM unnest($1::uuid[]) AS w(id)
       LEFT JOIN unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])
         AS t(id, contact_id, account_id, role, tier, arr_band, tenure_band, enterprise) ON t.id = w.id
       WHERE r.id = w.id AND r.import_source IS NOT NULL AND r.import_matched_at IS NULL`,
      [
        waiting,
        list.map((m) => m.id),
        list.map((m) => m.contactId),
        list.map((m) => m.accountId),
        list.map((m) => m.snapshot.role),
        list.map((m) => m.snapshot.tier),
        list.map((m) => m.snapshot.arrBand),
        list.map((m) => m.snapshot.tenureBand),
        list.map((m) => m.snapshot.enterprise),
        now,
      ],
    );
  }

  async snapshotQuadrant(ids: readonly string[]): Promise<void> {
    await this.db.query(
      `UPDATE responses r SET quadrant_snapshot = h.quadrant FROM account_health h
       WHERE r.id = ANY($1::uuid[]) AND h.account_id = r.account_id AND r.quadrant_snapshot IS DISTINCT FROM h.quadrant`,
      [ids],
    );
  }

  async exists(responseId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT 1 FROM responses WHERE id = $1`, [responseId]);
    return Boolean(row);
  }

  /** Settled responses among `ids`, in settle order, with everything their follow-ups are planned from. */
  async settledForFollowUps(ids: readonly string[]): Promise<SettledResponseRow[]> {
    return this.db.query(
      `SELECT r.id, r.stream, r.trigger, r.score, r.comment, r.reference_opt_in, r.settled_at, r.role_snapshot, r.contact_id, r.account_id,
              coalesce(s.email, r.import_email) AS email,
              coalesce(s.recipient_name, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), r.import_details->>'name') AS respondent_name,
              coalesce(s.context, '{}'::jsonb) AS context, s.source_connection_id, hk.kind AS helpdesk_kind,
              c.external_id AS contact_external_id, a.external_id AS account_external_id, a.name AS account_name, a.tier,
              a.arr::text AS arr, to_char(a.renewal_date, 'YYYY-MM-DD') AS renewal_date, a.owner_external_id,
              a.connection_id AS crm_connection_id, ak.kind AS crm_kind
       FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
       LEFT JOIN contacts c ON c.id = r.contact_id AND c.deleted_at IS NULL
       LEFT JOIN accounts a ON a.id = r.account_id AND a.deleted_at IS NULL
       LEFT JOIN connections ak ON ak.id = a.connection_id AND ak.deleted_at IS NULL
       LEFT JOIN connections hk ON hk.id = s.source_connection_id
       WHERE r.id = ANY($1::uuid[]) AND r.settled_at IS NOT NULL
       ORDER BY r.settled_at, r.id`,
      [ids],
    );
  }

  /** Settled relational answers of the accounts' contacts within [from, to]. */
  async relationalAnswersOf(accountIds: readonly string[], from: Date, to: Date): Promise<AccountHealthAnswer[]> {
    return this.db.query(
      `SELECT account_id, contact_id, coalesce(role_snapshot, 'other') AS role, score, settled_at AS at
       FROM responses WHERE account_id = ANY($1::uuid[]) AND stream = 'relational' AND settled_at IS NOT NULL
         AND contact_id IS NOT NULL AND settled_at BETWEEN $2 AND $3`,
      [accountIds, from, to],
    );
  }

  /** One response with its survey, account and contact, for the admin's response view. */
  async detail(responseId: string): Promise<Record<string, unknown> | undefined> {
    const [response] = await this.db.query(
      `SELECT r.id, r.stream, r.trigger, r.score, r.category, r.comment, r.themes, r.reference_opt_in AS "referenceOptIn",
              r.role_snapshot AS role, r.tier_snapshot AS tier, r.arr_band_snapshot AS "arrBand", r.tenure_band_snapshot AS "tenureBand",
              r.first_answered_at AS "answeredAt", r.settled_at AS "settledAt", coalesce(s.email, r.import_email) AS email,
              coalesce(s.context, '{}'::jsonb) AS "surveyContext",
              a.name AS "accountName", a.external_id AS "accountExternalId", c.external_id AS "contactExternalId"
       FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
       LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id
       WHERE r.id = $1`,
      [responseId],
    );
    return response;
  }

  /** The answer a permalink shows. */
  async permalinkAnswer(responseId: string): Promise<PermalinkAnswer | null> {
    const [row] = await this.db.query(
      `SELECT r.id AS "responseId", r.score, r.category, r.comment, r.reference_opt_in AS "referenceOptIn", r.stream, r.trigger,
              r.role_snapshot AS role, r.first_answered_at AS "answeredAt", r.settled_at AS "settledAt", coalesce(s.email, r.import_email) AS email,
              coalesce(s.recipient_name, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), r.import_details->>'name') AS "respondentName",
              r.contact_id AS "contactId", r.account_id AS "accountId", a.name AS "accountName", s.context->>'ticketId' AS "ticketId"
       FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
       LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN accounts a ON a.id = r.account_id
       WHERE r.id = $1`,
      [responseId],
    );
    return row ?? null;
  }

  /** The same person's answers before this one (by contact, else by email), newest first. */
  async earlierAnswers(answer: PermalinkAnswer, limit = 20): Promise<EarlierAnswer[]> {
    return this.db.query(
      `SELECT r.score, r.category, r.comment, r.stream, r.trigger, r.first_answered_at AS "answeredAt"
       FROM responses r LEFT JOIN surveys s ON s.id = r.survey_id
       WHERE r.id <> $1 AND r.first_answered_at < $2
         AND (r.contact_id = $3::uuid OR ($3::uuid IS NULL AND lower(coalesce(s.email, r.import_email)) = lower($4)))
       ORDER BY r.first_answered_at DESC, r.id LIMIT $5`,
      [answer.responseId, answer.answeredAt, answer.contactId, answer.email, limit],
    );
  }
}
