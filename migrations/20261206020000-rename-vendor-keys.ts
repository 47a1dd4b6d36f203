import { MigrationInterface, QueryRunner } from 'typeorm';

/** The program rule's stored key before and after it was named in the product's words. */
const OLD_RULE = 'zendeskDetractorTaskDueHours';
const NEW_RULE = 'ticketDetractorTaskDueHours';

/**
 * Stored data in the product's words, so the program rules and the helpdesk port name no vendor:
 * - the program rule `rules.zendeskDetractorTaskDueHours` becomes `rules.ticketDetractorTaskDueHours`
 *   (same value; PUT /api/program accepts only the new name);
 * - a queued ticket write-back carried the score as the helpdesk's custom field
 *   (`update.customFields: [{ id, value }]`); it now carries `update.score`, and the connector
 *   writes it to the connection's score field. Without this, a write-back queued before the
 *   upgrade would lose its score field value.
 * Down restores both (a write-back gets the field id its connection stores, if any).
 */
export class RenameVendorKeys20261206020000 implements MigrationInterface {
  name = 'RenameVendorKeys20261206020000';

  async up(q: QueryRunner): Promise<void> {
    await renameRule(q, OLD_RULE, NEW_RULE);
    await q.query(`
      UPDATE outbox
      SET payload = jsonb_set(payload #- '{update,customFields}', '{update,score}', payload #> '{update,customFields,0,value}')
      WHERE operation = 'helpdesk.write_back' AND payload #> '{update,customFields,0,value}' IS NOT NULL`);
    await q.query(`
      UPDATE outbox SET payload = payload #- '{update,customFields}'
      WHERE operation = 'helpdesk.write_back' AND (payload -> 'update') ? 'customFields'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await renameRule(q, NEW_RULE, OLD_RULE);
    await q.query(`
      UPDATE outbox o
      SET payload = jsonb_set(o.payload #- '{update,score}', '{update,customFields}',
            jsonb_build_array(jsonb_build_object('id', c.settings -> 'npsScoreFieldId', 'value', o.payload #> '{update,score}')))
      FROM connections c
      WHERE c.id = o.connection_id AND o.operation = 'helpdesk.write_back'
        AND o.payload #> '{update,score}' IS NOT NULL AND jsonb_typeof(c.settings -> 'npsScoreFieldId') = 'number'`);
    await q.query(`
      UPDATE outbox SET payload = payload #- '{update,score}'
      WHERE operation = 'helpdesk.write_back' AND (payload -> 'update') ? 'score'`);
  }
}

/** Renames one key of the stored program rules, keeping its value; a value under the new name wins. */
async function renameRule(q: QueryRunner, from: string, to: string): Promise<void> {
  await q.query(
    `UPDATE program_settings
     SET settings = jsonb_set(settings, '{rules}', jsonb_build_object($2::text, (settings -> 'rules') -> $1::text) || ((settings -> 'rules') - $1::text))
     WHERE jsonb_typeof(settings -> 'rules') = 'object' AND (settings -> 'rules') ? $1::text`,
    [from, to],
  );
}
