import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { SalesforceCredentials } from './salesforce-credentials';
import { SalesforceSettings, withDefaults } from './salesforce-settings';

/** Property paths of every failed constraint, nested ones dotted (fieldMapping.renewalDate.field). */
function failedPaths(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    return [...(e.constraints ? [path] : []), ...failedPaths(e.children ?? [], `${path}.`)];
  });
}

const validateSettings = (input: object) => failedPaths(validateSync(plainToInstance(SalesforceSettings, input)));
const validateCredentials = (input: object) => failedPaths(validateSync(plainToInstance(SalesforceCredentials, input)));

describe('SalesforceSettings', () => {
  it('accepts nothing at all (every setting has a default) and a full custom mapping', () => {
    expect(validateSettings({})).toEqual([]);
    expect(
      validateSettings({
        apiVersion: '61.0',
        fieldMapping: { arr: 'SBQQ__ARR__c', arrCurrency: 'CurrencyIsoCode', renewalDate: { source: 'field', field: 'Renewal_Date__c' }, tier: null, usage: 'Parent.Usage__c' },
        dailyBudgetShare: 1,
      }),
    ).toEqual([]);
  });

  it('names each invalid field, nested ones included', () => {
    expect(
      validateSettings({
        apiVersion: 'v62',
        fieldMapping: { arr: 'ARR__c FROM User --', renewalDate: { source: 'field' }, tier: 7 },
        dailyBudgetShare: 0,
      }),
    ).toEqual(['apiVersion', 'fieldMapping.arr', 'fieldMapping.renewalDate.field', 'fieldMapping.tier', 'dailyBudgetShare']);
    expect(validateSettings({ fieldMapping: { arr: null, renewalDate: { source: 'opportunity' } }, dailyBudgetShare: 1.5 })).toEqual([
      'fieldMapping.arr',
      'fieldMapping.renewalDate.source',
      'dailyBudgetShare',
    ]);
  });

  it('withDefaults fills every default and keeps what was given, null unmapping a field', () => {
    expect(withDefaults(undefined)).toEqual({
      apiVersion: '62.0',
      fieldMapping: { arr: 'ARR__c', arrCurrency: null, renewalDate: { source: 'contract' }, tier: 'Tier__c', customerSince: 'Customer_Since__c', usage: null },
      dailyBudgetShare: 0.5,
    });
    const custom = withDefaults({ fieldMapping: { arr: 'Arr__c', tier: null, customerSince: undefined }, dailyBudgetShare: 0.2 });
    expect(custom.fieldMapping).toEqual({ arr: 'Arr__c', arrCurrency: null, renewalDate: { source: 'contract' }, tier: null, customerSince: 'Customer_Since__c', usage: null });
    expect(custom.dailyBudgetShare).toBe(0.2);
    expect(custom).toBeInstanceOf(SalesforceSettings);
  });
});

describe('SalesforceCredentials', () => {
  const key = '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----';

  it('accepts JWT and client-credentials credentials, the sandbox URL as login URL', () => {
    expect(validateCredentials({ authType: 'jwt', clientId: '3MVG9', username: 'int@example.com', privateKey: key })).toEqual([]);
    expect(validateCredentials({ authType: 'client_credentials', loginUrl: 'http://127.0.0.1:41234', clientId: '3MVG9', clientSecret: 's' })).toEqual([]);
  });

  it('asks for what each flow needs, by field name', () => {
    expect(validateCredentials({ authType: 'jwt', clientId: '3MVG9', privateKey: 'not a key' })).toEqual(['username', 'privateKey']);
    // Without a loginUrl the default is login.salesforce.com, which client credentials cannot use.
    expect(validateCredentials({ authType: 'client_credentials', clientId: '3MVG9' })).toEqual(['loginUrl', 'clientSecret']);
    expect(validateCredentials({ authType: 'password', loginUrl: 'login.salesforce', clientId: 1 })).toEqual(['authType', 'loginUrl', 'clientId']);
  });

  it('refuses the shared login hosts for client credentials, naming loginUrl and the My Domain URL it needs', () => {
    const refused = ['https://login.salesforce.com', 'https://test.salesforce.com/', 'HTTPS://LOGIN.SALESFORCE.COM/', 'https://Test.Salesforce.com'];
    for (const loginUrl of refused) {
      const errors = validateSync(plainToInstance(SalesforceCredentials, { authType: 'client_credentials', loginUrl, clientId: '3MVG9', clientSecret: 's' }));
      expect(errors.map((e) => e.property)).toEqual(['loginUrl']);
      expect(Object.values(errors[0].constraints ?? {}).join(' ')).toMatch(/loginUrl must be your org's My Domain URL \(https:\/\/<domain>\.my\.salesforce\.com\)/);
    }
    expect(validateCredentials({ authType: 'client_credentials', loginUrl: 'https://acme.my.salesforce.com', clientId: '3MVG9', clientSecret: 's' })).toEqual([]);
    expect(validateCredentials({ authType: 'client_credentials', loginUrl: 'https://acme--uat.sandbox.my.salesforce.com/', clientId: '3MVG9', clientSecret: 's' })).toEqual([]);
  });

  it('keeps login.salesforce.com and test.salesforce.com for the JWT flow', () => {
    for (const loginUrl of ['https://login.salesforce.com', 'https://test.salesforce.com/']) {
      expect(validateCredentials({ authType: 'jwt', loginUrl, clientId: '3MVG9', username: 'int@example.com', privateKey: key })).toEqual([]);
    }
  });
});
