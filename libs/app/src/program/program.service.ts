import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProgramSettingsRepository } from '@libs/db/src/repositories/program-settings.repository';
import { programSettings, ProgramSettings, ProgramSettingsOverrides, sendWindowErrors } from '@libs/nps/src';
import { mergedRuleErrors, ruleOverrideErrors } from '@libs/nps/src/settings-limits';
import { PROFILE_ITEMS, ProgramDto, ProgramProfile, UNSET_PROFILE_WORDING, UpdateProgramDto } from './program.dto';

export interface Program {
  /** False while a draft or paused: nothing is sent. */
  live: boolean;
  /** What must be set before going live (profile item names, `rules.leadershipOwnerId`). */
  missing: string[];
  /** The wording surveys and pages use: the admin's items, neutral words for unset ones. */
  profile: ProgramProfile;
  /** The profile items the admin has set (unset ones are absent). */
  profileSet: Partial<ProgramProfile>;
  rules: ProgramSettings;
  /** rules §9: who receives new alerts by email, and the incoming webhook they are posted to. */
  alertEmails: string[];
  slackWebhookUrl: string | null;
}

/** As stored: unset profile items are absent, `live` is absent (false) on a new program. */
interface StoredProgram {
  profile?: Partial<ProgramProfile>;
  rules?: ProgramSettingsOverrides;
  live?: boolean;
  alertEmails?: string[];
  slackWebhookUrl?: string | null;
}

/**
 * An alert webhook URL carries its own secret, so it goes out over TLS; plain http is accepted
 * only to this machine (the demo's sandbox endpoint), where nothing crosses a network.
 */
function webhookUrlError(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'slackWebhookUrl: must be an https URL';
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return null;
  return 'slackWebhookUrl: must be an https URL (plain http only to localhost)';
}

/** What a program still needs before it may go live (rules §4 "Going live"). */
function missingForLive(profile: Partial<ProgramProfile>, rules: ProgramSettings): string[] {
  const missing: string[] = PROFILE_ITEMS.filter((item) => !profile[item]?.trim());
  if (rules.enterpriseEscalation && !rules.leadershipOwnerId?.trim()) missing.push('rules.leadershipOwnerId');
  return missing;
}

function withoutUnset(profile: Record<string, string | null | undefined>): Partial<ProgramProfile> {
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Partial<ProgramProfile>;
}

/** The NPS program's settings: one row, the defaults of rules §0 filled in. */
@Injectable()
export class ProgramService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async stored(): Promise<StoredProgram> {
    return ((await new ProgramSettingsRepository(this.db.manager).read()) ?? {}) as StoredProgram;
  }

  private program(stored: StoredProgram): Program {
    const profileSet = withoutUnset(stored.profile ?? {});
    const rules = programSettings(stored.rules ?? {});
    return {
      live: stored.live === true,
      missing: missingForLive(profileSet, rules),
      profile: { ...UNSET_PROFILE_WORDING, ...profileSet },
      profileSet,
      rules,
      alertEmails: stored.alertEmails ?? [],
      slackWebhookUrl: stored.slackWebhookUrl ?? null,
    };
  }

  async get(): Promise<Program> {
    return this.program(await this.stored());
  }

  /** The program as the API shows it: unset profile items are null. */
  async view(): Promise<ProgramDto> {
    return this.toDto(await this.get());
  }

  toDto(program: Program): ProgramDto {
    const profile = Object.fromEntries(PROFILE_ITEMS.map((item) => [item, program.profileSet[item] ?? null])) as unknown as ProgramDto['profile'];
    return {
      live: program.live,
      missing: program.missing,
      profile,
      rules: program.rules as unknown as Record<string, unknown>,
      alertEmails: program.alertEmails,
      slackWebhookUrl: program.slackWebhookUrl,
    };
  }

  async update(input: UpdateProgramDto): Promise<ProgramDto> {
    const stored = await this.stored();
    const { rules, live, profile: givenProfile, missing: _readOnly, alertEmails, slackWebhookUrl, ...topLevel } = input;
    const errors = rules !== undefined ? ruleOverrideErrors(rules) : [];
    const urlError = webhookUrlError(slackWebhookUrl);
    if (urlError) errors.push(urlError);
    const profile = { ...givenProfile, ...Object.fromEntries(Object.entries(topLevel).filter(([, v]) => v !== undefined)) } as Record<string, string | null | undefined>;
    for (const item of PROFILE_ITEMS) {
      // null is "not set" as GET shows it: fine for an item still unset, refused for a set one.
      if (profile[item] === null && stored.profile?.[item]?.trim()) {
        const field = item in topLevel ? item : `profile.${item}`;
        errors.push(`${field}: must be a non-empty text; a set item can be changed but not removed`);
      }
    }
    if (errors.length) throw new BadRequestException(errors);
    const next: StoredProgram = {
      profile: withoutUnset({ ...stored.profile, ...profile }),
      rules: { ...stored.rules, ...(rules as ProgramSettingsOverrides) },
      live: live ?? stored.live ?? false,
    };
    // Stored only once set, so a program that never configured alerts keeps its stored shape.
    const emails = alertEmails ?? stored.alertEmails;
    if (emails !== undefined) next.alertEmails = emails;
    const webhook = slackWebhookUrl !== undefined ? slackWebhookUrl : stored.slackWebhookUrl;
    if (webhook !== undefined) next.slackWebhookUrl = webhook;
    let merged: ProgramSettings;
    try {
      merged = programSettings(next.rules ?? {});
    } catch (error) {
      throw new BadRequestException([`rules: ${(error as Error).message}`]);
    }
    const mergedErrors = [...sendWindowErrors(merged), ...mergedRuleErrors(merged)];
    if (mergedErrors.length) throw new BadRequestException(mergedErrors);
    const program = this.program(next);
    if (program.live && program.missing.length) {
      // Going live (or staying live) needs every item; the answer lists what is missing.
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: [`live: the program cannot be live until these are set: ${program.missing.join(', ')}`],
        missing: program.missing,
      });
    }
    await new ProgramSettingsRepository(this.db.manager).save(next);
    return this.toDto(program);
  }
}
