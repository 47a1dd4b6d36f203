import page from '../fixtures/user-query-page.json';
import { mapOwner } from './map-owner';

describe('mapOwner', () => {
  it('maps active and deactivated users; deactivated ones stay owners', () => {
    expect(page.records.map((r) => mapOwner(structuredClone(r)))).toEqual([
      {
        externalId: '005Dn000001XyZaIAK',
        modifiedAt: '2026-01-05T12:00:00.000Z',
        record: { externalId: '005Dn000001XyZaIAK', name: 'Andrew Fuller', email: 'andrew.fuller@vendor.example.com', active: true },
      },
      {
        externalId: '005Dn000001XyZbIAK',
        modifiedAt: '2025-06-30T23:59:59.000Z',
        record: { externalId: '005Dn000001XyZbIAK', name: 'Steven Buchanan', email: 'steven.buchanan@vendor.example.com', active: false },
      },
    ]);
  });

  it('refuses an IsActive that is not a boolean', () => {
    expect(() => mapOwner({ ...page.records[0], IsActive: null })).toThrow('User 005Dn000001XyZaIAK: IsActive is not true or false (got null)');
  });
});
