import page from '../fixtures/account-query-page.json';
import { VendorError } from '@connectors/core/src';
import { accountSelectList, mapAccount } from './map-account';
import { withDefaults } from './salesforce-settings';
import { SalesforceRecord } from './salesforce-values';

const mapping = withDefaults(undefined).fieldMapping;
const record = (i: number, patch: Record<string, unknown> = {}): SalesforceRecord => ({ ...structuredClone(page.records[i]), ...patch });

describe('mapAccount', () => {
  it('maps a recorded Account with ARR, tier, tenure, owner and the latest activated contract', () => {
    expect(mapAccount(record(0), mapping)).toEqual({
      externalId: '001Dn00000A1bCdIAJ',
      modifiedAt: '2026-09-14T08:21:45.000Z',
      record: {
        externalId: '001Dn00000A1bCdIAJ',
        name: 'Northwind Traders',
        arr: '125000.50',
        arrCurrency: null,
        renewalDate: '2027-01-31',
        tier: 'Enterprise',
        customerSince: '2019-03-01',
        ownerExternalId: '005Dn000001XyZaIAK',
        usageScore: null,
        modifiedAt: '2026-09-14T08:21:45.000Z',
      },
    });
  });

  it('keeps exactly 100000.00 and nulls for unset fields and accounts without contracts', () => {
    expect(mapAccount(record(1), mapping).record).toMatchObject({ arr: '100000.00', tier: null, customerSince: null, renewalDate: null, ownerExternalId: null });
    expect(mapAccount(record(2), mapping).record).toMatchObject({ arr: '8499.99', renewalDate: null, customerSince: '2026-08-20' });
  });

  it('turns a soft-deleted account into a deletion', () => {
    expect(mapAccount(record(3), mapping)).toEqual({ externalId: '001Dn00000A1bCgIAJ', modifiedAt: '2026-09-16T09:00:00.000Z', record: null });
  });

  it('reads renewal date, currency and usage from mapped fields when configured so', () => {
    const custom = withDefaults({
      fieldMapping: { arr: 'SBQQ__ARR__c', arrCurrency: 'CurrencyIsoCode', renewalDate: { source: 'field', field: 'Renewal_Date__c' }, usage: 'Usage_Score__c' },
    }).fieldMapping;
    const raw = record(0, { SBQQ__ARR__c: 1e21, CurrencyIsoCode: 'EUR', Renewal_Date__c: '2027-02-28', Usage_Score__c: 73.25 });
    expect(mapAccount(raw, custom).record).toMatchObject({ arr: '1000000000000000000000.00', arrCurrency: 'EUR', renewalDate: '2027-02-28', usageScore: '73.25' });
  });

  it.each([
    ['ARR__c', 'abc', 'ARR__c is not a number'],
    ['ARR__c', true, 'ARR__c is not a number'],
    ['Customer_Since__c', '2026-02-30', 'Customer_Since__c is not a date'],
    ['SystemModstamp', '14/09/2026', 'SystemModstamp is not a datetime'],
    ['IsDeleted', 'false', 'IsDeleted is not true or false'],
    ['OwnerId', 'not-an-id', 'OwnerId is not a Salesforce id'],
    ['Name', '', 'Name is empty'],
    ['Tier__c', 3, 'Tier__c is not text'],
  ])('refuses %s = %j', (field, value, message) => {
    const call = () => mapAccount(record(0, { [field]: value }), mapping);
    expect(call).toThrow(VendorError);
    expect(call).toThrow(`Account 001Dn00000A1bCdIAJ: ${message}`);
  });

  it('refuses a record of another object and a mapped field missing from the response', () => {
    expect(() => mapAccount({ ...record(0), attributes: { type: 'Contact' } }, mapping)).toThrow('attributes.type is not Account');
    const { ARR__c: _dropped, ...withoutArr } = record(0);
    expect(() => mapAccount(withoutArr, mapping)).toThrow('ARR__c is missing from the response');
  });

  it('refuses a contract end date that is not a date', () => {
    const raw = record(0);
    (raw.Contracts as { records: { EndDate: unknown }[] }).records[0].EndDate = 20270131;
    expect(() => mapAccount(raw, mapping)).toThrow('EndDate is not a date');
  });
});

describe('accountSelectList', () => {
  it('selects the standard fields, the mapped ones and the latest activated contract', () => {
    expect(accountSelectList(mapping)).toEqual([
      'Id',
      'Name',
      'OwnerId',
      'SystemModstamp',
      'IsDeleted',
      'ARR__c',
      'Tier__c',
      'Customer_Since__c',
      "(SELECT EndDate FROM Contracts WHERE Status = 'Activated' ORDER BY EndDate DESC LIMIT 1)",
    ]);
  });

  it('selects a renewal field instead of the subquery, once even if mapped twice', () => {
    const custom = withDefaults({ fieldMapping: { renewalDate: { source: 'field', field: 'Renewal_Date__c' }, tier: null, usage: 'renewal_date__c' } }).fieldMapping;
    expect(accountSelectList(custom)).toEqual(['Id', 'Name', 'OwnerId', 'SystemModstamp', 'IsDeleted', 'ARR__c', 'Customer_Since__c', 'renewal_date__c']);
  });
});
