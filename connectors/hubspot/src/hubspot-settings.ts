// class-transformer's @Type reads design metadata; Nest loads this too, plain scripts and tests may not.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { hubspotDescriptor } from '../descriptor';

/** HubSpot internal property names: lowercase letters, digits and underscores. */
const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;
const propertyName = (field: string) => Matches(PROPERTY_NAME, { message: `fieldMapping.${field} must be a HubSpot property internal name (lowercase letters, digits, _)` });

/**
 * Which company properties hold what we read. HubSpot has no standard ARR property (the standard
 * `annualrevenue` is an estimate of the company's own revenue, not what it pays us), so ARR
 * defaults to a custom property named `arr`, created by the admin or by our setup command.
 * null means "not mapped": the value reads as null.
 */
export class HubSpotFieldMapping {
  @IsOptional() @propertyName('arr') arr: string | null;
  @IsOptional() @propertyName('arrCurrency') arrCurrency: string | null;
  @IsOptional() @propertyName('renewalDate') renewalDate: string | null;
  @IsOptional() @propertyName('tier') tier: string | null;
  @IsOptional() @propertyName('customerSince') customerSince: string | null;
  @IsOptional() @propertyName('usage') usage: string | null;
}

/** Per-connection request budget: accounts with a limit pack get 250/10 s, free ones 100. */
export class HubSpotRateLimit {
  // README "Rate limits": 100 (free) … 190 (Pro/Ent) … 250 (limit pack) per 10 s
  @IsInt({ message: 'rateLimit.requestsPer10s must be an integer' })
  @Min(1, { message: 'rateLimit.requestsPer10s must be at least 1' })
  @Max(250, { message: 'rateLimit.requestsPer10s must be at most 250' })
  requestsPer10s: number;

  // README "Search": search 4/s (changelog) or 5/s (current docs)
  @IsInt({ message: 'rateLimit.searchPerSecond must be an integer' })
  @Min(1, { message: 'rateLimit.searchPerSecond must be at least 1' })
  @Max(5, { message: 'rateLimit.searchPerSecond must be at most 5' })
  searchPerSecond: number;
}

export class HubSpotSettings {
  @ValidateNested()
  @Type(() => HubSpotFieldMapping)
  fieldMapping: HubSpotFieldMapping;

  @ValidateNested()
  @Type(() => HubSpotRateLimit)
  rateLimit: HubSpotRateLimit;
}

const DEFAULT_FIELD_MAPPING: Readonly<HubSpotFieldMapping> = {
  arr: 'arr',
  arrCurrency: null,
  renewalDate: 'renewal_date',
  tier: 'tier',
  customerSince: 'customer_since',
  usage: null,
};

const DEFAULT_RATE_LIMIT: Readonly<HubSpotRateLimit> = {
  requestsPer10s: hubspotDescriptor.burst.requests,
  searchPerSecond: hubspotDescriptor.search.requests,
};

export interface HubSpotSettingsInput {
  fieldMapping?: Partial<HubSpotFieldMapping>;
  rateLimit?: Partial<HubSpotRateLimit>;
}

/** The mapping keys, in the order testConnection reports them. */
export const MAPPED_FIELDS = ['arr', 'arrCurrency', 'renewalDate', 'tier', 'customerSince', 'usage'] as const;
const RATE_FIELDS = ['requestsPer10s', 'searchPerSecond'] as const;

/** Settings with every default filled in; an explicit null in the mapping stays null (unmapped). */
export function withDefaults(partial: HubSpotSettingsInput | Partial<HubSpotSettings> | undefined): HubSpotSettings {
  const fieldMapping = Object.assign(new HubSpotFieldMapping(), DEFAULT_FIELD_MAPPING);
  for (const key of MAPPED_FIELDS) {
    const value = partial?.fieldMapping?.[key];
    if (value !== undefined) fieldMapping[key] = value;
  }
  const rateLimit = Object.assign(new HubSpotRateLimit(), DEFAULT_RATE_LIMIT);
  for (const key of RATE_FIELDS) {
    const value = partial?.rateLimit?.[key];
    if (value !== undefined) rateLimit[key] = value;
  }
  return Object.assign(new HubSpotSettings(), { fieldMapping, rateLimit });
}
