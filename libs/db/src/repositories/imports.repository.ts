import { EntityManager } from 'typeorm';

/** What one import did, counted per answer (rules §10); every field is a count. */
export interface ImportCounts {
  /** Answer records read (survey responses, or CSV rows), readable or not. */
  answers: number;
  /** Answers kept now (new keys). */
  imported: number;
  /** Answers whose key (source, original id) was imported before: left as they were. */
  alreadyImported: number;
  /** Imported answers matched to a CRM contact by email, and those kept unmatched. */
  matched: number;
  unmatched: number;
  /** Answers of other survey types (CSAT, CES, …), skipped. */
  notNps: number;
  refused: number;
  /** Imported answers at most 30 days old, followed up like a fresh answer. */
  followedUp: number;
  /** People records read, and new ones kept (their last sent time counts for suppression). */
  people: number;
  peopleImported: number;
  /** Unsubscribe and bounce records read, and the addresses they newly unsubscribed. */
  optOuts: number;
  unsubscribed: number;
}

export const NO_COUNTS: ImportCounts = {
  answers: 0,
  imported: 0,
  alreadyImported: 0,
  matched: 0,
  unmatched: 0,
  notNps: 0,
  refused: 0,
  followedUp: 0,
  people: 0,
  peopleImported: 0,
  optOuts: 0,
  unsubscribed: 0,
};

/** A refused record: where it is (file, record number, line when the format has lines) and why. */
export interface ImportRefusal {
  file: string;
  row: number;
  line: number | null;
  reason: string;
  detail: string;
}

export interface ImportFile {
  name: string;
  kind: string;
  bytes: number;
}

export interface NewImport {
  kind: 'delighted' | 'csv';
  source: string;
  files: ImportFile[];
  mapping: unknown;
  createdBy: string;
}

export interface ImportRow {
  id: string;
  kind: 'delighted' | 'csv';
  source: string;
  /** `interrupted`: still `running` but not heard from for 10 minutes (its process stopped; importing again resumes). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  files: ImportFile[];
  mapping: unknown;
  counts: ImportCounts;
  refusals: ImportRefusal[];
  error: string | null;
  createdBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The columns an import is read with; `refusals` is the expression its refusal list is read from. */
const columns = (refusals: string) => `id, kind, source,
  CASE WHEN status = 'running' AND updated_at < now() - interval '10 minutes' THEN 'interrupted' ELSE status END AS status,
  files, mapping, counts, ${refusals} AS refusals, error, created_by AS "createdBy", started_at AS "startedAt", finished_at AS "finishedAt"`;

/** imports: one row per import that wrote (a dry run is never kept), with its summary. */
export class ImportsRepository {
  constructor(private readonly db: EntityManager) {}

  async start(run: NewImport): Promise<string> {
    const [row] = await this.db.query(`INSERT INTO imports (kind, source, files, mapping, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      run.kind,
      run.source,
      JSON.stringify(run.files),
      run.mapping === null || run.mapping === undefined ? null : JSON.stringify(run.mapping),
      run.createdBy,
    ]);
    return row.id;
  }

  /** The counts so far, while it runs (also what shows it is alive). */
  async recordProgress(id: string, counts: ImportCounts, refusals: readonly ImportRefusal[]): Promise<void> {
    await this.db.query(`UPDATE imports SET counts = $2, refusals = $3, updated_at = now() WHERE id = $1 AND status = 'running'`, [
      id,
      JSON.stringify(counts),
      JSON.stringify(refusals),
    ]);
  }

  async finish(id: string, status: 'succeeded' | 'failed', counts: ImportCounts, refusals: readonly ImportRefusal[], error: string | null): Promise<void> {
    await this.db.query(`UPDATE imports SET status = $2, counts = $3, refusals = $4, error = $5, updated_at = now(), finished_at = now() WHERE id = $1`, [
      id,
      status,
      JSON.stringify(counts),
      JSON.stringify(refusals),
      error,
    ]);
  }

  /** The latest imports first, without their refusal lists. */
  async list(limit: number): Promise<ImportRow[]> {
    return this.db.query(`SELECT ${columns(`'[]'::jsonb`)} FROM imports ORDER BY started_at DESC, id LIMIT $1`, [limit]);
  }

  async find(id: string): Promise<ImportRow | undefined> {
    const [row] = await this.db.query(`SELECT ${columns('refusals')} FROM imports WHERE id = $1`, [id]);
    return row;
  }
}
