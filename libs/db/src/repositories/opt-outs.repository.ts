import { EntityManager } from 'typeorm';

/** opt_outs: addresses that unsubscribed through any survey; an opt-out never expires (rules §4). */
export class OptOutsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Opted out through a survey link, or marked unsubscribed on the CRM contact. */
  async isOptedOut(email: string, contactId: string | null): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM opt_outs WHERE email = lower($1))
           OR EXISTS (SELECT 1 FROM contacts WHERE id = $2::uuid AND unsubscribed_at IS NOT NULL) AS out`,
      [email, contactId],
    );
    return Boolean(row.out);
  }

  /**
   * Unsubscribes and bounces of an imported source (rules §10), addresses in lower case: the
   * first opt-out of an address is kept; returns the addresses this call opted out.
   */
  async recordImported(rows: ReadonlyArray<{ email: string; at: Date; origin: 'imported_unsubscribe' | 'imported_bounce' }>, importId: string): Promise<string[]> {
    if (!rows.length) return [];
    const result: Array<{ email: string }> = await this.db.query(
      `INSERT INTO opt_outs (email, opted_out_at, origin, import_id)
       SELECT DISTINCT ON (t.email) t.email, t.at, t.origin, $4 FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS t(email, at, origin)
       ORDER BY t.email, t.at
       ON CONFLICT (email) DO NOTHING RETURNING email`,
      [rows.map((r) => r.email), rows.map((r) => r.at), rows.map((r) => r.origin), importId],
    );
    return result.map((r) => r.email);
  }

  /** The first opt-out of an address is kept (with the survey it came through); later ones change nothing. */
  async record(email: string, surveyId: string, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO opt_outs (email, survey_id, opted_out_at) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING`, [email, surveyId, now]);
  }
}
