import page from '../fixtures/account-contact-relation-queryall-page.json';
import { mapContactRole } from './map-contact-role';

const record = (i: number, patch: Record<string, unknown> = {}) => ({ ...structuredClone(page.records[i]), ...patch });

describe('mapContactRole', () => {
  it('splits a multi-select Roles value into its roles', () => {
    expect(mapContactRole(record(0))).toEqual({
      externalId: '07kDn000002Ab1cIAC',
      modifiedAt: '2026-09-14T08:30:01.000Z',
      record: {
        externalId: '07kDn000002Ab1cIAC',
        accountExternalId: '001Dn00000A1bCdIAJ',
        contactExternalId: '003Dn00000Bq9XyIAJ',
        roles: ['Decision Maker', 'Economic Buyer'],
        modifiedAt: '2026-09-14T08:30:01.000Z',
      },
    });
  });

  it('reads no roles as an empty list, and trims values and drops empty parts', () => {
    expect(mapContactRole(record(1)).record?.roles).toEqual([]);
    expect(mapContactRole(record(0, { Roles: ' Executive Sponsor ;; Evaluator;' })).record?.roles).toEqual(['Executive Sponsor', 'Evaluator']);
  });

  it('keeps role labels the org added to the picklist: normalising them is libs/nps work', () => {
    expect(mapContactRole(record(0, { Roles: 'Champion;Decision Maker' })).record?.roles).toEqual(['Champion', 'Decision Maker']);
  });

  it('turns an inactive relation and a deleted one into deletions', () => {
    expect(mapContactRole(record(2))).toEqual({ externalId: '07kDn000002Ab1eIAC', modifiedAt: '2026-09-14T08:40:00.000Z', record: null });
    expect(mapContactRole(record(3))).toEqual({ externalId: '07kDn000002Ab1fIAC', modifiedAt: '2026-09-14T09:00:00.000Z', record: null });
  });

  it('refuses a relation without its contact and a Roles value that is not text', () => {
    expect(() => mapContactRole(record(0, { ContactId: null }))).toThrow('AccountContactRelation 07kDn000002Ab1cIAC: ContactId is not a Salesforce id');
    expect(() => mapContactRole(record(0, { Roles: ['Decision Maker'] }))).toThrow('Roles is not text');
  });
});
