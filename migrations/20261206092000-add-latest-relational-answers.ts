import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each person's latest settled relational answer with an account (what rules §7 counts per
 * account: sentiment, account NPS, role gap), kept by triggers as responses change, so the
 * account reports taken now read one row per person instead of picking the latest of every
 * response. A change recomputes the people it touches from their responses; two settles of one
 * person at once keep the newer answer.
 */
const LATEST = (contacts: string) => `
  INSERT INTO latest_relational_answers AS t (contact_id, account_id, role, score, at, response_id)
  SELECT DISTINCT ON (r.contact_id) r.contact_id, r.account_id, coalesce(r.role_snapshot, 'other'), r.score, r.settled_at, r.id
  FROM responses r
  WHERE r.contact_id IN (${contacts}) AND r.stream = 'relational' AND r.settled_at IS NOT NULL AND r.account_id IS NOT NULL
  ORDER BY r.contact_id, r.settled_at DESC, r.id DESC
  ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, role = excluded.role, score = excluded.score, at = excluded.at,
    response_id = excluded.response_id
  WHERE (excluded.at, excluded.response_id) >= (t.at, t.response_id)`;

/** A response's columns the latest answer depends on. */
const COUNTED = (a: string) => `(${a}.stream, ${a}.settled_at, ${a}.score, ${a}.role_snapshot, ${a}.account_id, ${a}.contact_id)`;

export class AddLatestRelationalAnswers20261206092000 implements MigrationInterface {
  name = 'AddLatestRelationalAnswers20261206092000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE latest_relational_answers (
        contact_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        role text NOT NULL,
        score smallint NOT NULL,
        at timestamptz NOT NULL,
        response_id uuid NOT NULL
      )`);
    await q.query(`CREATE INDEX latest_relational_answers_account_idx ON latest_relational_answers (account_id, at)`);
    await q.query(`CREATE INDEX latest_relational_answers_at_idx ON latest_relational_answers (at) INCLUDE (account_id, role, score)`);
    await q.query(LATEST(`SELECT contact_id FROM responses WHERE contact_id IS NOT NULL`));

    // Insert: the people answering. Update or delete: first forget a latest answer whose response changed or went, then recompute.
    const fn = (name: string, body: string) =>
      q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${body};
          RETURN NULL;
        END $fn$`);
    await fn('latest_relational_answers_insert', LATEST(`SELECT contact_id FROM new_rows WHERE stream = 'relational' AND settled_at IS NOT NULL`));
    const changed = (side: string, other: string) =>
      `SELECT x.id, x.contact_id FROM ${side} x JOIN ${other} y ON y.id = x.id WHERE ${COUNTED('x')} IS DISTINCT FROM ${COUNTED('y')}`;
    await fn(
      'latest_relational_answers_update',
      `DELETE FROM latest_relational_answers WHERE response_id IN (SELECT id FROM (${changed('old_rows', 'new_rows')}) c);
       ${LATEST(`SELECT contact_id FROM (${changed('old_rows', 'new_rows')}) c UNION SELECT contact_id FROM (${changed('new_rows', 'old_rows')}) c`)}`,
    );
    await fn(
      'latest_relational_answers_delete',
      `DELETE FROM latest_relational_answers WHERE response_id IN (SELECT id FROM old_rows);
       ${LATEST(`SELECT contact_id FROM old_rows`)}`,
    );
    await fn('latest_relational_answers_truncate', `DELETE FROM latest_relational_answers`);
    await q.query(`CREATE TRIGGER latest_relational_answers_insert AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION latest_relational_answers_insert()`);
    await q.query(`CREATE TRIGGER latest_relational_answers_update AFTER UPDATE ON responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION latest_relational_answers_update()`);
    await q.query(`CREATE TRIGGER latest_relational_answers_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION latest_relational_answers_delete()`);
    await q.query(`CREATE TRIGGER latest_relational_answers_truncate AFTER TRUNCATE ON responses FOR EACH STATEMENT EXECUTE FUNCTION latest_relational_answers_truncate()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER latest_relational_answers_${op} ON responses`);
      await q.query(`DROP FUNCTION latest_relational_answers_${op}()`);
    }
    await q.query(`DROP TABLE latest_relational_answers`);
  }
}
