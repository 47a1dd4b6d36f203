import recorded from '../fixtures/contacts-page.json';
import { mapContact, primaryCompanyFromList } from './map-contact';
import { HubSpotObject } from './hubspot-object';

const [ana, ben, chloe] = recorded.results as HubSpotObject[];

describe('mapContact', () => {
  it('maps a recorded contact and picks the primary company from the list associations', () => {
    expect(mapContact(ana)).toEqual({
      externalId: '51',
      accountExternalId: '18236543201',
      email: 'Ana.Almeida@northwind-analytics.com',
      firstName: 'Ana',
      lastName: 'Almeida',
      modifiedAt: '2026-01-10T11:22:33.444Z',
    });
  });

  it('takes the first company when none is primary, and null when there is none', () => {
    expect(primaryCompanyFromList(ben)).toBe('18236543202');
    expect(mapContact(ben)).toMatchObject({ firstName: null, lastName: 'Brown' });
    expect(mapContact(chloe)).toMatchObject({ accountExternalId: null, email: null, lastName: null });
  });

  it('uses the primary company read from v4 associations when given', () => {
    expect(mapContact(ana, '999').accountExternalId).toBe('999');
    expect(mapContact(ana, null).accountExternalId).toBeNull();
  });

  it('refuses a contact without a modification time', () => {
    expect(() => mapContact({ id: '9', properties: { lastmodifieddate: 'yesterday' } })).toThrow('HubSpot contact 9: property lastmodifieddate');
  });
});
