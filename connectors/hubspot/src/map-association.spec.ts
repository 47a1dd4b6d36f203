import recorded from '../fixtures/company-contact-associations.json';
import { HubSpotAssociatedRecord, primaryCompanyId, roleLabels, rolesOfCompany, rolesOfContact } from './map-association';

const [northwind, bluestone] = recorded.results;
const at = '2026-01-15T00:00:00.000Z';

describe('association labels as roles', () => {
  it('keeps several custom labels on one association and none for an unlabeled one', () => {
    expect(rolesOfCompany(northwind.from.id, northwind.to, at)).toEqual([
      { externalId: '18236543201:51', accountExternalId: '18236543201', contactExternalId: '51', roles: ['Decision Maker', 'Economic Buyer'], modifiedAt: at },
      { externalId: '18236543201:54', accountExternalId: '18236543201', contactExternalId: '54', roles: [], modifiedAt: at },
    ]);
    expect(rolesOfCompany(bluestone.from.id, bluestone.to, at)[0].roles).toEqual(['End User']);
  });

  it('reads contact→company associations with the company as the account', () => {
    const toCompanies: HubSpotAssociatedRecord[] = [
      { toObjectId: 700, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] },
      {
        toObjectId: 701,
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
          { category: 'USER_DEFINED', typeId: 101, label: 'Technical Buyer' },
        ],
      },
    ];
    expect(primaryCompanyId(toCompanies)).toBe('701');
    expect(primaryCompanyId(toCompanies.slice(0, 1))).toBe('700');
    expect(primaryCompanyId([])).toBeNull();
    expect(rolesOfContact('51', toCompanies, at).map((r) => [r.externalId, r.roles])).toEqual([
      ['700:51', []],
      ['701:51', ['Technical Buyer']],
    ]);
  });

  it('keeps integrator labels, drops duplicates and blank labels', () => {
    const record = {
      toObjectId: 1,
      associationTypes: [
        { category: 'INTEGRATOR_DEFINED', typeId: 9, label: 'Champion' },
        { category: 'USER_DEFINED', typeId: 10, label: 'Champion' },
        { category: 'USER_DEFINED', typeId: 11, label: ' ' },
      ],
    };
    expect(roleLabels('2', record)).toEqual(['Champion']);
  });

  it('refuses an association category it does not know', () => {
    const record = { toObjectId: 3, associationTypes: [{ category: 'PARTNER_DEFINED', typeId: 5, label: 'x' }] };
    expect(() => roleLabels('2', record)).toThrow('HubSpot association 2→3: property category = "PARTNER_DEFINED"');
  });
});
