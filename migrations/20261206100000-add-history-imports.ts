import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Importing history (rules §10). Imported answers are rows of `responses` (so every NPS report
 * counts them) without a survey (so the response rate does not): `survey_id` becomes optional, and
 * a response has a survey or an import key, never both. The key (import_source, import_ref) — the
 * source and its own id of the answer — is unique, so importing a file twice adds nothing. Beside
 * the answer a row keeps the respondent's email (matched to a CRM contact in a later sync while
 * `import_matched_at` is unset), which import brought it, and what the source said beyond the
 * answer (`import_details`: name, person id, tags, person properties, permalink, notes, …). All in
 * the one row, so a million imported answers are one insert each.
 * `imported_people` keeps the source's people: a person's last sent time counts for suppression.
 * `imports` keeps each import's summary (a dry run writes nothing, so it is not kept).
 * Opt-outs say where they came from: a survey link, or an imported unsubscribe or bounce.
 */
export class AddHistoryImports20261206100000 implements MigrationInterface {
  name = 'AddHistoryImports20261206100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('delighted', 'csv')),
        source text NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
        files jsonb NOT NULL DEFAULT '[]'::jsonb,
        mapping jsonb,
        counts jsonb NOT NULL DEFAULT '{}'::jsonb,
        refusals jsonb NOT NULL DEFAULT '[]'::jsonb,
        error text,
        created_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX imports_started_idx ON imports (started_at DESC)`);

    await q.query(`ALTER TABLE responses ALTER COLUMN survey_id DROP NOT NULL,
      ADD COLUMN import_source text,
      ADD COLUMN import_ref text,
      ADD COLUMN import_id uuid,
      ADD COLUMN import_email text CHECK (import_email = lower(import_email)),
      ADD COLUMN import_matched_at timestamptz,
      ADD COLUMN import_details jsonb,
      ADD CONSTRAINT responses_survey_or_import_check CHECK ((survey_id IS NULL) = (import_source IS NOT NULL)),
      ADD CONSTRAINT responses_import_complete_check CHECK (import_source IS NULL OR (import_ref IS NOT NULL AND import_id IS NOT NULL AND import_email IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX responses_import_key ON responses (import_source, import_ref) WHERE import_source IS NOT NULL`);
    await q.query(`CREATE INDEX responses_import_unmatched_idx ON responses (import_email) WHERE import_source IS NOT NULL AND import_matched_at IS NULL`);

    await q.query(`
      CREATE TABLE imported_people (
        source text NOT NULL,
        original_id text NOT NULL,
        import_id uuid NOT NULL,
        email text CHECK (email = lower(email)),
        name text,
        created_at timestamptz,
        last_sent_at timestamptz,
        last_responded_at timestamptz,
        next_survey_scheduled_at timestamptz,
        PRIMARY KEY (source, original_id)
      )`);
    await q.query(`CREATE INDEX imported_people_sent_idx ON imported_people (email, last_sent_at) WHERE last_sent_at IS NOT NULL`);

    await q.query(`ALTER TABLE opt_outs
      ADD COLUMN origin text NOT NULL DEFAULT 'survey_link' CHECK (origin IN ('survey_link', 'imported_unsubscribe', 'imported_bounce')),
      ADD COLUMN import_id uuid REFERENCES imports(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE opt_outs DROP COLUMN import_id, DROP COLUMN origin`);
    await q.query(`DROP TABLE imported_people`);
    // Older code knows no response without a survey: imported history goes with the columns that explained it.
    await q.query(`DELETE FROM responses WHERE survey_id IS NULL`);
    await q.query(`DROP INDEX responses_import_unmatched_idx`);
    await q.query(`DROP INDEX responses_import_key`);
    await q.query(`ALTER TABLE responses DROP CONSTRAINT responses_import_complete_check, DROP CONSTRAINT responses_survey_or_import_check,
      DROP COLUMN import_details, DROP COLUMN import_matched_at, DROP COLUMN import_email, DROP COLUMN import_id, DROP COLUMN import_ref,
      DROP COLUMN import_source, ALTER COLUMN survey_id SET NOT NULL`);
    await q.query(`DROP TABLE imports`);
  }
}
