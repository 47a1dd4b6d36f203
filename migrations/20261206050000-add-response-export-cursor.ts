import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warehouse feed (GET /api/export/responses?since=) reads responses in (updated_at, id)
 * order from a cursor: this index makes each page a range scan, not a sort of every response.
 */
export class AddResponseExportCursor20261206050000 implements MigrationInterface {
  name = 'AddResponseExportCursor20261206050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX responses_export_cursor_idx ON responses (updated_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX responses_export_cursor_idx`);
  }
}
