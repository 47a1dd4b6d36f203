import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';
import { column } from '../synced-records';

/** A person of an imported source (Delighted's people), keyed by (source, original id). */
export interface ImportedPerson {
  source: string;
  originalId: string;
  importId: string;
  /** Lower case; null for a person the source knew by phone only. */
  email: string | null;
  name: string | null;
  createdAt: Date | null;
  lastSentAt: Date | null;
  lastRespondedAt: Date | null;
  nextSurveyScheduledAt: Date | null;
}

/** imported_people: the people of imported sources; their last sent time counts for suppression (rules §10). */
export class ImportedPeopleRepository {
  constructor(private readonly db: EntityManager) {}

  /** Keeps the people not imported before (first import wins); returns how many were new. */
  async keepNew(people: readonly ImportedPerson[]): Promise<number> {
    if (!people.length) return 0;
    const list = people as ImportedPerson[];
    const result = await this.db.query(
      `INSERT INTO imported_people (source, original_id, import_id, email, name, created_at, last_sent_at, last_responded_at, next_survey_scheduled_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT (source, original_id) DO NOTHING
       RETURNING 1`,
      [
        column(list, 'source'),
        column(list, 'originalId'),
        column(list, 'importId'),
        column(list, 'email'),
        column(list, 'name'),
        column(list, 'createdAt'),
        column(list, 'lastSentAt'),
        column(list, 'lastRespondedAt'),
        column(list, 'nextSurveyScheduledAt'),
      ],
    );
    return returnedRows(result).length;
  }

  /** The email and name of these people of `source` (imported now or before), by original id; absent when unknown. */
  async contactDetailsOf(source: string, originalIds: readonly string[]): Promise<Map<string, { email: string | null; name: string | null }>> {
    if (!originalIds.length) return new Map();
    const rows: Array<{ original_id: string; email: string | null; name: string | null }> = await this.db.query(
      `SELECT original_id, email, name FROM imported_people WHERE source = $1 AND original_id = ANY($2::text[])`,
      [source, [...new Set(originalIds)]],
    );
    return new Map(rows.map((r) => [r.original_id, { email: r.email, name: r.name }]));
  }
}
