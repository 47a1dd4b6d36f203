import { EntityManager } from 'typeorm';

/** program_settings: the NPS program's one row (id 1): its profile, rule overrides and whether it is live, as JSON. */
export class ProgramSettingsRepository {
  constructor(private readonly db: EntityManager) {}

  /** The stored settings; undefined before the row exists. */
  async read(): Promise<unknown> {
    const [row] = await this.db.query(`SELECT settings FROM program_settings WHERE id = 1`);
    return row?.settings;
  }

  async save(settings: unknown): Promise<void> {
    await this.db.query(`UPDATE program_settings SET settings = $1, updated_at = now() WHERE id = 1`, [settings]);
  }
}
