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

  /** The first opt-out of an address is kept (with the survey it came through); later ones change nothing. */
  async record(email: string, surveyId: string, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO opt_outs (email, survey_id, opted_out_at) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING`, [email, surveyId, now]);
  }
}
