import recorded from '../fixtures/owners-page.json';
import { mapOwner } from './map-owner';

describe('mapOwner', () => {
  it('maps recorded owners, a queue without a name included', () => {
    expect(recorded.results.map(mapOwner)).toEqual([
      { externalId: '40000001', name: 'Grace Hopper', email: 'grace.hopper@vendor.example.com', active: true },
      { externalId: '40000002', name: null, email: 'cs-queue@vendor.example.com', active: true },
    ]);
  });

  it('marks archived owners inactive', () => {
    expect(mapOwner({ id: '7', firstName: 'Old', archived: true })).toEqual({ externalId: '7', name: 'Old', email: null, active: false });
  });

  it('refuses an owner type it does not know', () => {
    expect(() => mapOwner({ id: '8', type: 'ROBOT' })).toThrow('HubSpot owner 8: property type = "ROBOT" is not PERSON or QUEUE');
  });
});
