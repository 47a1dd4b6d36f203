import { IsInt, IsOptional, IsPositive, Max, Min } from 'class-validator';
import { zendeskDescriptor } from '../descriptor';

const MAX_RPM = zendeskDescriptor.maxRequestsPerMinute;

export class ZendeskSettings {
  /**
   * The custom ticket field (a number field) that receives the NPS score on transactional
   * write-back. null: no score field; the tag and the private note still carry the score.
   */
  @IsOptional()
  @IsInt({ message: 'npsScoreFieldId must be the numeric id of a Zendesk custom ticket field' })
  @IsPositive({ message: 'npsScoreFieldId must be a positive id' })
  npsScoreFieldId: number | null;

  /** The account's plan limit (README "Rate limits": 200 Team … 2,500 Enterprise Plus / High Volume). */
  @IsInt({ message: 'requestsPerMinute must be an integer' })
  @Min(1, { message: 'requestsPerMinute must be at least 1' })
  @Max(MAX_RPM, { message: `requestsPerMinute must be at most ${MAX_RPM}` })
  requestsPerMinute: number;

  /**
   * The incremental export's own limit: 10, or 30 with High Volume. Anything above only makes
   * sense against the sandbox (tests that page quickly).
   */
  @IsInt({ message: 'exportRequestsPerMinute must be an integer' })
  @Min(1, { message: 'exportRequestsPerMinute must be at least 1' })
  @Max(MAX_RPM, { message: `exportRequestsPerMinute must be at most ${MAX_RPM}` })
  exportRequestsPerMinute: number;
}

export type ZendeskSettingsInput = Partial<ZendeskSettings>;

/** Every setting filled in: what the admin gave, the defaults for the rest. */
export function withDefaults(partial: ZendeskSettingsInput | undefined): ZendeskSettings {
  const given = Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) as ZendeskSettingsInput;
  return Object.assign(new ZendeskSettings(), {
    npsScoreFieldId: given.npsScoreFieldId ?? null,
    requestsPerMinute: given.requestsPerMinute ?? zendeskDescriptor.requestsPerMinute,
    exportRequestsPerMinute: given.exportRequestsPerMinute ?? zendeskDescriptor.exportRequestsPerMinute,
  });
}
