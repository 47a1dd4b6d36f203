import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsObject, IsOptional, IsPositive, IsString, Matches, Max, ValidateIf, ValidateNested } from 'class-validator';
import { salesforceDescriptor } from '../descriptor';

/**
 * A field API name as it may appear in SOQL: standard (Industry), custom (ARR__c), managed
 * package (SBQQ__Renewal__c) or a relationship path (Parent.Tier__c). Checked because names are
 * written into the query text.
 */
export const SOQL_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const fieldName = { message: '$property must be a Salesforce field API name such as ARR__c' };
const given = (_: object, value: unknown) => value !== undefined;

export class RenewalDateMapping {
  /** contract: EndDate of the latest Activated Contract; field: a date field on Account. */
  @IsIn(['contract', 'field'])
  source: 'contract' | 'field';

  @ValidateIf((m: RenewalDateMapping) => m.source === 'field')
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  field?: string;
}

/**
 * Which Account fields hold what the NPS program needs (Salesforce has no standard ARR field).
 * Admins send only what differs from the defaults; null unmaps an optional field.
 */
export class SalesforceFieldMapping {
  @ValidateIf(given)
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  arr: string;

  /** CurrencyIsoCode in multi-currency orgs; null means the org's single currency. */
  @IsOptional()
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  arrCurrency: string | null;

  @ValidateIf(given)
  @IsObject()
  @ValidateNested()
  @Type(() => RenewalDateMapping)
  renewalDate: RenewalDateMapping;

  @IsOptional()
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  tier: string | null;

  @IsOptional()
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  customerSince: string | null;

  @IsOptional()
  @IsString()
  @Matches(SOQL_FIELD_NAME, fieldName)
  usage: string | null;
}

export class SalesforceSettings {
  /** REST API version without the "v" (62.0). */
  @IsOptional()
  @IsString()
  @Matches(/^\d{2,3}\.0$/, { message: 'apiVersion must look like 62.0' })
  apiVersion: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SalesforceFieldMapping)
  fieldMapping: SalesforceFieldMapping;

  /** Share of the org's daily API allocation after which nps-bridge stops calling (0 < x ≤ 1). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1)
  dailyBudgetShare: number;
}

/** What an admin may send: any subset, the field mapping included. */
export type SalesforceSettingsInput = Partial<Omit<SalesforceSettings, 'fieldMapping'>> & {
  fieldMapping?: Partial<SalesforceFieldMapping>;
};

const DEFAULT_FIELD_MAPPING: Readonly<SalesforceFieldMapping> = {
  arr: 'ARR__c',
  arrCurrency: null,
  renewalDate: { source: 'contract' },
  tier: 'Tier__c',
  customerSince: 'Customer_Since__c',
  usage: null,
};

function definedOnly<T extends object>(value: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every setting filled in: what the admin gave, the defaults for the rest. */
export function withDefaults(partial: SalesforceSettingsInput | undefined): SalesforceSettings {
  const top = definedOnly<SalesforceSettingsInput>(partial);
  const mapping = { ...DEFAULT_FIELD_MAPPING, ...definedOnly<SalesforceFieldMapping>(top.fieldMapping) };
  const settings = new SalesforceSettings();
  settings.apiVersion = top.apiVersion ?? salesforceDescriptor.apiVersion;
  settings.fieldMapping = Object.assign(new SalesforceFieldMapping(), mapping, {
    renewalDate: Object.assign(new RenewalDateMapping(), mapping.renewalDate),
  });
  settings.dailyBudgetShare = top.dailyBudgetShare ?? salesforceDescriptor.dailyBudgetShare;
  return settings;
}
