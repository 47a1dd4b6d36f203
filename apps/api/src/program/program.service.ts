import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_PROGRAM_SETTINGS, programSettings, ProgramSettings, ProgramSettingsOverrides } from '../../../../libs/nps/src';
import { DEFAULT_PROFILE, ProgramProfile, UpdateProgramDto } from './program.dto';

export interface Program {
  profile: ProgramProfile;
  rules: ProgramSettings;
}

interface StoredProgram {
  profile?: Partial<ProgramProfile>;
  rules?: ProgramSettingsOverrides;
}

/** Every problem with rule overrides, each naming its path: unknown keys and wrong types. */
export function ruleOverrideErrors(value: unknown, defaults: unknown = DEFAULT_PROGRAM_SETTINGS, path = 'rules'): string[] {
  if (defaults === null) return value === null || typeof value === 'string' ? [] : [`${path}: must be a string or null`];
  if (Array.isArray(defaults)) {
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [] : [`${path}: must be a list of strings`];
  }
  if (typeof defaults === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object`];
    return Object.entries(value).flatMap(([key, v]) =>
      Object.prototype.hasOwnProperty.call(defaults, key)
        ? ruleOverrideErrors(v, (defaults as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: is not a program setting`],
    );
  }
  if (typeof value !== typeof defaults) return [`${path}: must be a ${typeof defaults}`];
  if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) return [`${path}: must be a non-negative number`];
  return [];
}

/** The NPS program's settings: one row, defaults from nps-program.md filled in. */
@Injectable()
export class ProgramService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async stored(): Promise<StoredProgram> {
    const [row] = await this.db.query(`SELECT settings FROM program_settings WHERE id = 1`);
    return (row?.settings ?? {}) as StoredProgram;
  }

  async get(): Promise<Program> {
    const stored = await this.stored();
    return { profile: { ...DEFAULT_PROFILE, ...stored.profile }, rules: programSettings(stored.rules ?? {}) };
  }

  async update(input: UpdateProgramDto): Promise<Program> {
    const stored = await this.stored();
    const { rules, ...profile } = input;
    const errors = rules ? ruleOverrideErrors(rules) : [];
    if (errors.length) throw new BadRequestException(errors);
    const next: StoredProgram = { profile: { ...stored.profile, ...profile }, rules: { ...stored.rules, ...(rules as ProgramSettingsOverrides) } };
    try {
      programSettings(next.rules ?? {});
    } catch (error) {
      throw new BadRequestException([`rules: ${(error as Error).message}`]);
    }
    await this.db.query(`UPDATE program_settings SET settings = $1, updated_at = now() WHERE id = 1`, [next]);
    return this.get();
  }
}
