import { ArrHistoryGroups, mapArrHistory } from './map-arr-history';
import { idBatches } from './soql-batches';

const ACCOUNT = '001Dn0000000001AAA';
const row = (n: number, field: string, oldValue: unknown, newValue: unknown, at: string, accountId = ACCOUNT) => ({
  attributes: { type: 'AccountHistory', url: `/services/data/v62.0/sobjects/AccountHistory/017Dn00000000${n}AAA` },
  Id: `017Dn0000000${String(n).padStart(3, '0')}AAA`,
  AccountId: accountId,
  Field: field,
  OldValue: oldValue,
  NewValue: newValue,
  CreatedDate: `${at}.000+0000`,
});

describe('mapArrHistory (Salesforce AccountHistory → ARR points)', () => {
  it('gives each ARR change from its time, and the creation value from the account’s created row', () => {
    const rows = [
      row(3, 'ARR__c', 110000, 99999.999, '2026-09-01T08:00:00'),
      row(1, 'created', null, null, '2025-01-10T12:00:00'),
      row(2, 'ARR__c', 100000, 110000, '2026-03-01T08:00:00'),
    ];
    expect(mapArrHistory(ACCOUNT, rows, 'arr__c')).toEqual([
      { accountExternalId: ACCOUNT, at: '2025-01-10T12:00:00.000Z', arr: '100000.00' },
      { accountExternalId: ACCOUNT, at: '2026-03-01T08:00:00.000Z', arr: '110000.00' },
      { accountExternalId: ACCOUNT, at: '2026-09-01T08:00:00.000Z', arr: '100000.00' },
    ]);
  });

  it('says nothing about ARR without an ARR change (tracking may have been off), and keeps an emptied value as null', () => {
    expect(mapArrHistory(ACCOUNT, [row(1, 'created', null, null, '2025-01-10T12:00:00')], 'ARR__c')).toEqual([]);
    expect(mapArrHistory(ACCOUNT, [row(2, 'ARR__c', '500', null, '2026-03-01T08:00:00')], 'ARR__c')).toEqual([
      { accountExternalId: ACCOUNT, at: '2026-03-01T08:00:00.000Z', arr: null },
    ]);
  });

  it('refuses a value that is not a number, naming the row and the field', () => {
    expect(() => mapArrHistory(ACCOUNT, [row(2, 'ARR__c', null, 'lots', '2026-03-01T08:00:00')], 'ARR__c')).toThrow(/AccountHistory 017Dn0000000002AAA: NewValue/);
  });

  it('groups rows ordered by account across pages, giving an account’s points once its rows are complete', () => {
    const other = '001Dn0000000002AAA';
    const groups = new ArrHistoryGroups('ARR__c');
    expect(groups.add([row(1, 'ARR__c', 1, 2, '2026-01-01T00:00:00')])).toEqual([]);
    const done = groups.add([row(2, 'ARR__c', 2, 3, '2026-02-01T00:00:00'), row(3, 'ARR__c', 5, 6, '2026-01-01T00:00:00', other)]);
    expect(done.map((p) => p.arr)).toEqual(['2.00', '3.00']);
    expect(groups.flush()).toEqual([{ accountExternalId: other, at: '2026-01-01T00:00:00.000Z', arr: '6.00' }]);
  });
});

describe('idBatches', () => {
  it('splits an id list so every query URL stays within the budget, each id once', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `001Dn${String(i).padStart(10, '0')}AAA`);
    const urls = idBatches([...ids, ids[0]], (list) => `SELECT Id FROM Account WHERE Id IN (${list})`);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(url.length).toBeLessThanOrEqual(12_000);
    const sent = urls.flatMap((url) => decodeURIComponent(url.slice('/query?q='.length)).match(/'[^']+'/g) ?? []);
    expect(sent).toEqual(ids.map((id) => `'${id}'`));
  });
});
