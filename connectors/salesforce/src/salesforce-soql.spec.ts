import { withDefaults } from './salesforce-settings';
import { soqlDateTime, streamQuery } from './salesforce-soql';

const mapping = withDefaults(undefined).fieldMapping;

describe('streamQuery', () => {
  it('reads a full stream with query, no WHERE, in cursor order', () => {
    expect(streamQuery('contacts', mapping, null)).toEqual({
      resource: 'query',
      soql: 'SELECT Id, AccountId, Email, FirstName, LastName, SystemModstamp, IsDeleted FROM Contact ORDER BY SystemModstamp ASC, Id ASC',
    });
  });

  it('reads changes since the cursor with queryAll and an unquoted datetime literal', () => {
    expect(streamQuery('contact_roles', mapping, '2026-11-23T10:00:00.000Z')).toEqual({
      resource: 'queryAll',
      soql:
        'SELECT Id, AccountId, ContactId, Roles, IsActive, SystemModstamp, IsDeleted FROM AccountContactRelation ' +
        'WHERE SystemModstamp >= 2026-11-23T10:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC',
    });
  });

  it('reads owners from User (no IsDeleted there) and accounts with the contract subquery', () => {
    expect(streamQuery('owners', mapping, null).soql).toBe('SELECT Id, Name, Email, IsActive, SystemModstamp FROM User ORDER BY SystemModstamp ASC, Id ASC');
    expect(streamQuery('accounts', mapping, null).soql).toBe(
      'SELECT Id, Name, OwnerId, SystemModstamp, IsDeleted, ARR__c, Tier__c, Customer_Since__c, ' +
        "(SELECT EndDate FROM Contracts WHERE Status = 'Activated' ORDER BY EndDate DESC LIMIT 1) FROM Account ORDER BY SystemModstamp ASC, Id ASC",
    );
  });

  it('refuses a mapped field that could change the statement', () => {
    const hostile = { ...mapping, tier: "Tier__c FROM Account WHERE Name = 'x'" };
    expect(() => streamQuery('accounts', hostile, null)).toThrow('is not a field API name');
  });
});

describe('soqlDateTime', () => {
  it('normalises any ISO instant to UTC with milliseconds', () => {
    expect(soqlDateTime('2026-11-23T12:00:00+02:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(() => soqlDateTime('23/11/2026')).toThrow('is not an ISO 8601 datetime');
  });
});
