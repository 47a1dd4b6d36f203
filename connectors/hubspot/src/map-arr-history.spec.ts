import { mapArrHistory } from './map-arr-history';

describe('mapArrHistory (HubSpot property history → ARR points)', () => {
  it('turns every value the property took into a point, oldest first, from HubSpot JSON or SDK Dates', () => {
    const company = {
      id: '5000000001',
      propertiesWithHistory: {
        arr: [
          { value: '1.2E5', timestamp: new Date('2026-10-01T00:00:00Z'), sourceType: 'CRM_UI' },
          { value: '', timestamp: '2026-05-01T00:00:00.000Z', sourceType: 'INTEGRATION' },
          { value: '99000.555', timestamp: '1735689600000', sourceType: 'IMPORT' },
        ],
      },
    };
    expect(mapArrHistory(company, 'arr')).toEqual([
      { accountExternalId: '5000000001', at: '2025-01-01T00:00:00.000Z', arr: '99000.56' },
      { accountExternalId: '5000000001', at: '2026-05-01T00:00:00.000Z', arr: null },
      { accountExternalId: '5000000001', at: '2026-10-01T00:00:00.000Z', arr: '120000.00' },
    ]);
  });

  it('has no points without history, and refuses a value that is not a number', () => {
    expect(mapArrHistory({ id: '1' }, 'arr')).toEqual([]);
    expect(mapArrHistory({ id: '1', propertiesWithHistory: { arr: [] } }, 'arr')).toEqual([]);
    expect(() => mapArrHistory({ id: '7', propertiesWithHistory: { arr: [{ value: 'n/a', timestamp: '2026-01-01T00:00:00Z' }] } }, 'arr')).toThrow(
      /company 7: property arr history value = "n\/a" is not a number/,
    );
  });
});
