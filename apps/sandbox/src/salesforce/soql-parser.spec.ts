import { buildSchema } from './sandbox-schema';
import { Row, SandboxStore } from './sandbox-store';
import { compileSoql, runQuery, serializeRow } from './soql-engine';
import { parseSoql, SoqlError, soqlErrorMessage } from './soql-parser';

const CONNECTOR_ACCOUNTS =
  "SELECT Id, Name, OwnerId, SystemModstamp, IsDeleted, ARR__c, Tier__c, Customer_Since__c, (SELECT EndDate FROM Contracts WHERE Status = 'Activated' ORDER BY EndDate DESC LIMIT 1) FROM Account WHERE SystemModstamp >= 2026-11-23T10:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC";

function tinyOrg(): SandboxStore {
  const store = new SandboxStore(buildSchema({ multiCurrency: false, omitFields: ['Account.Usage_Score__c'] }));
  const at = (iso: string) => Date.parse(iso);
  const account = (Id: string, stamp: string, extra: Partial<Row> = {}) =>
    store.insert('Account', { Id, Name: Id, OwnerId: null, IsDeleted: false, ARR__c: 1000, Tier__c: 'SMB', Customer_Since__c: null, SystemModstamp: at(stamp), ...extra });
  account('001B', '2026-11-23T10:00:00.000Z');
  account('001A', '2026-11-23T10:00:00.000Z');
  account('001C', '2026-11-23T09:59:59.000Z');
  account('001D', '2026-11-23T11:00:00.000Z', { IsDeleted: true });
  const contract = (Id: string, Status: string, EndDate: string) =>
    store.insert('Contract', { Id, AccountId: '001A', Status, EndDate, IsDeleted: false, SystemModstamp: at('2026-01-01T00:00:00.000Z') });
  contract('800a', 'Activated', '2027-01-31');
  contract('800b', 'Activated', '2028-01-31');
  contract('800c', 'Draft', '2029-01-31');
  contract('800d', 'Expired', '2026-01-31');
  return store;
}

describe('SOQL in the sandbox', () => {
  it('parses exactly what the connector sends', () => {
    const query = parseSoql(CONNECTOR_ACCOUNTS);
    expect(query.items).toHaveLength(9);
    expect(query.items[8]).toMatchObject({ kind: 'subquery', query: { from: { path: 'Contracts' }, limit: 1, orderBy: [{ descending: true }] } });
    const where = CONNECTOR_ACCOUNTS.indexOf('WHERE SystemModstamp') + 'WHERE '.length;
    expect(query.where).toEqual([
      {
        field: { path: 'SystemModstamp', pos: where },
        op: '>=',
        value: { kind: 'datetime', value: Date.parse('2026-11-23T10:00:00.000Z'), pos: where + 'SystemModstamp >= '.length },
      },
    ]);
    expect(query.orderBy.map((o) => [o.field.path, o.descending, o.nullsLast])).toEqual([
      ['SystemModstamp', false, false],
      ['Id', false, false],
    ]);
  });

  it('filters inclusively on SystemModstamp, sorts by (SystemModstamp, Id), hides deleted rows unless queryAll', () => {
    const store = tinyOrg();
    const query = compileSoql(CONNECTOR_ACCOUNTS, store);
    expect(runQuery(query, store.rows('Account'), false).map((r) => r.Id)).toEqual(['001A', '001B']);
    expect(runQuery(query, store.rows('Account'), true).map((r) => r.Id)).toEqual(['001A', '001B', '001D']);
  });

  it('answers the contract subquery with the latest Activated contract only, or null', () => {
    const store = tinyOrg();
    const query = compileSoql(CONNECTOR_ACCOUNTS, store);
    const [a, b] = runQuery(query, store.rows('Account'), false).map((row) => serializeRow(row, query, store, '62.0'));
    expect(a.Contracts).toEqual({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'Contract', url: '/services/data/v62.0/sobjects/Contract/800b' }, EndDate: '2028-01-31' }],
    });
    expect(b).toEqual({
      attributes: { type: 'Account', url: '/services/data/v62.0/sobjects/Account/001B' },
      Id: '001B',
      Name: '001B',
      OwnerId: null,
      SystemModstamp: '2026-11-23T10:00:00.000+0000',
      IsDeleted: false,
      ARR__c: 1000,
      Tier__c: 'SMB',
      Customer_Since__c: null,
      Contracts: null,
    });
  });

  it('refuses an unknown column with Salesforce errorCode, wording and caret position', () => {
    const soql = 'SELECT Id, Usage_Score__c FROM Account';
    try {
      compileSoql(soql, tinyOrg());
      throw new Error('compiled');
    } catch (error) {
      expect(error).toBeInstanceOf(SoqlError);
      expect((error as SoqlError).errorCode).toBe('INVALID_FIELD');
      expect(soqlErrorMessage(soql, error as SoqlError)).toBe(
        "\nSELECT Id, Usage_Score__c FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Usage_Score__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      );
    }
  });

  it.each([
    ["SELECT Id FROM Account WHERE SystemModstamp >= '2026-11-23T10:00:00.000Z'", 'INVALID_FIELD', 'must be of type dateTime and should not be enclosed in quotes'],
    ['SELECT Id FROM Opportunity__c', 'INVALID_TYPE', "sObject type 'Opportunity__c' is not supported"],
    ['SELECT Id, (SELECT Id FROM Contract) FROM Account', 'INVALID_TYPE', "Didn't understand relationship 'Contract' in FROM part"],
    ['SELECT Id FROM Account WHERE', 'MALFORMED_QUERY', 'unexpected token: end of query'],
    ['SELECT Id FROM Account LIMIT x', 'MALFORMED_QUERY', "unexpected token: 'x'"],
  ])('refuses %s', (soql, code, text) => {
    const compile = () => compileSoql(soql, tinyOrg());
    expect(compile).toThrow(SoqlError);
    expect(compile).toThrow(text);
    try {
      compile();
    } catch (error) {
      expect((error as SoqlError).errorCode).toBe(code);
    }
  });

  it('follows a one-hop relationship path (Owner.Name)', () => {
    const store = tinyOrg();
    store.insert('User', { Id: '005X', Name: 'Andrew Fuller', IsActive: true, SystemModstamp: 0 });
    store.get('001A')!.OwnerId = '005X';
    const query = compileSoql("SELECT Id, Owner.Name FROM Account WHERE Name = '001a'", store);
    const [row] = runQuery(query, store.rows('Account'), false);
    expect(serializeRow(row, query, store, '62.0')).toMatchObject({ Id: '001A', Owner: { attributes: { type: 'User' }, Name: 'Andrew Fuller' } });
  });

  it('filters on IN lists (ids case-insensitively, as text) and refuses a list item of the wrong type', () => {
    const store = tinyOrg();
    const query = compileSoql("SELECT Id FROM Account WHERE Id IN ('001a', '001C', '001Z') ORDER BY Id ASC", store);
    expect(runQuery(query, store.rows('Account'), false).map((r) => r.Id)).toEqual(['001A', '001C']);
    expect(() => compileSoql("SELECT Id FROM Account WHERE ARR__c IN (1000, '2000')", store)).toThrow(/must be of type double/);
    expect(() => parseSoql('SELECT Id FROM Account WHERE Id IN 1')).toThrow(SoqlError);
  });
});
