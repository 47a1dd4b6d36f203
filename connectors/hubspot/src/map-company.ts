import { CrmAccountRecord } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotObject } from './hubspot-object';
import { HubSpotFieldMapping, MAPPED_FIELDS } from './hubspot-settings';
import { dateOnly, decimal, instant, invalidValue, money, text } from './hubspot-values';

/** The company properties a read asks for: ours plus whatever the connection maps. */
export function companyProperties(mapping: HubSpotFieldMapping): string[] {
  const mapped = MAPPED_FIELDS.map((field) => mapping[field]).filter((name): name is string => !!name);
  return [...new Set(['name', 'domain', 'hubspot_owner_id', hubspotDescriptor.companyModifiedProperty, ...mapped])];
}

const CURRENCY = /^[A-Za-z]{3}$/;

/** A HubSpot company → our account. Unreadable mapped values are errors, not nulls. */
export function mapCompany(company: HubSpotObject, mapping: HubSpotFieldMapping): CrmAccountRecord {
  const id = String(company.id);
  const props = company.properties ?? {};
  const read = <T>(property: string | null, parse: (raw: string | null | undefined) => T | undefined, expected: string): T | null => {
    if (!property) return null;
    const value = parse(props[property]);
    if (value === undefined) throw invalidValue('company', id, property, props[property], expected);
    return value;
  };

  const currency = read(
    mapping.arrCurrency,
    (raw) => {
      const code = text(raw);
      return code === null ? null : CURRENCY.test(code) ? code.toUpperCase() : undefined;
    },
    'an ISO 4217 currency code',
  );
  const modifiedAt = instant(props[hubspotDescriptor.companyModifiedProperty]) ?? instant(company.updatedAt);
  if (!modifiedAt) throw invalidValue('company', id, hubspotDescriptor.companyModifiedProperty, props[hubspotDescriptor.companyModifiedProperty], 'an instant');

  return {
    externalId: id,
    // HubSpot allows companies without a name (created from a domain); show the domain then.
    name: text(props.name) ?? text(props.domain) ?? `HubSpot company ${id}`,
    arr: read(mapping.arr, money, 'a number'),
    arrCurrency: currency,
    renewalDate: read(mapping.renewalDate, dateOnly, 'a date'),
    tier: read(mapping.tier, (raw) => text(raw), 'text'),
    customerSince: read(mapping.customerSince, dateOnly, 'a date'),
    ownerExternalId: text(props.hubspot_owner_id),
    usageScore: read(mapping.usage, decimal, 'a number'),
    modifiedAt,
  };
}
