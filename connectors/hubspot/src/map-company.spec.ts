import recorded from '../fixtures/companies-page.json';
import { VendorError } from '@connectors/core/src';
import { companyProperties, mapCompany } from './map-company';
import { HubSpotObject } from './hubspot-object';
import { withDefaults } from './hubspot-settings';

const mapping = withDefaults(undefined).fieldMapping;
const [northwind, bluestone, summit] = recorded.results as HubSpotObject[];

describe('mapCompany', () => {
  it('maps a recorded company with the default field mapping', () => {
    expect(mapCompany(northwind, mapping)).toEqual({
      externalId: '18236543201',
      name: 'Northwind Analytics Inc.',
      arr: '125000.00',
      arrCurrency: null,
      renewalDate: '2026-03-31',
      tier: 'Enterprise',
      customerSince: '2023-05-01',
      ownerExternalId: '40000003',
      usageScore: null,
      modifiedAt: '2026-01-14T16:03:27.981Z',
    });
  });

  it('reads epoch-ms and instant dates, falls back to the domain for a nameless company', () => {
    expect(mapCompany(bluestone, mapping)).toMatchObject({
      name: 'bluestone.io',
      arr: '8499.50',
      renewalDate: '2026-09-02',
      customerSince: '2024-09-02',
      tier: null,
      ownerExternalId: null,
      modifiedAt: '2025-12-01T08:00:00.000Z',
    });
    expect(mapCompany(summit, mapping)).toMatchObject({ arr: '1250000.00', renewalDate: null, customerSince: null, tier: 'Strategic' });
  });

  it('follows a custom mapping, including currency and usage', () => {
    const custom = withDefaults({ fieldMapping: { arr: 'annual_contract_value', arrCurrency: 'acv_currency', usage: 'usage_score', tier: null } }).fieldMapping;
    const company = { ...northwind, properties: { ...northwind.properties, annual_contract_value: '99000.1', acv_currency: 'eur', usage_score: '7.50E1' } };
    expect(mapCompany(company, custom)).toMatchObject({ arr: '99000.10', arrCurrency: 'EUR', usageScore: '75', tier: null });
    expect(companyProperties(custom)).toEqual(
      expect.arrayContaining(['name', 'domain', 'hubspot_owner_id', 'hs_lastmodifieddate', 'annual_contract_value', 'acv_currency', 'usage_score', 'renewal_date']),
    );
    expect(companyProperties(custom)).not.toContain('tier');
  });

  it('refuses values it cannot read, naming the company and the property', () => {
    const bad = (properties: Record<string, string>) => () => mapCompany({ ...northwind, properties: { ...northwind.properties, ...properties } }, mapping);
    expect(bad({ arr: '125k' })).toThrow(VendorError);
    expect(bad({ arr: '125k' })).toThrow('HubSpot company 18236543201: property arr = "125k" is not a number');
    expect(bad({ renewal_date: 'next spring' })).toThrow('property renewal_date = "next spring" is not a date');
    expect(bad({ customer_since: '2024-13-01' })).toThrow('customer_since');
    const noTime = { ...northwind, updatedAt: undefined, properties: { ...northwind.properties, hs_lastmodifieddate: '' } };
    expect(() => mapCompany(noTime, mapping)).toThrow('hs_lastmodifieddate');
    const currency = withDefaults({ fieldMapping: { arrCurrency: 'acv_currency' } }).fieldMapping;
    expect(() => mapCompany({ ...northwind, properties: { ...northwind.properties, acv_currency: 'euro' } }, currency)).toThrow('ISO 4217');
  });
});
