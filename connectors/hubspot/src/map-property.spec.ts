import { mapProperty } from './map-property';

describe('mapProperty (HubSpot property definitions)', () => {
  it('reads a custom number property as a custom number, and one with a currency symbol as currency', () => {
    expect(mapProperty({ name: 'arr', label: 'ARR', type: 'number', fieldType: 'number' })).toEqual({ name: 'arr', label: 'ARR', type: 'number', custom: true });
    expect(mapProperty({ name: 'annualrevenue', label: 'Annual Revenue', type: 'number', fieldType: 'number', hubspotDefined: true, showCurrencySymbol: true })).toMatchObject({
      type: 'currency',
      custom: false,
    });
  });

  it('keeps the visible options of a dropdown, and reads a single checkbox and an owner list for what they are', () => {
    const tier = mapProperty({
      name: 'tier',
      label: 'Tier',
      type: 'enumeration',
      fieldType: 'select',
      options: [{ value: 'enterprise' }, { value: 'legacy', hidden: true }, { value: 'smb', hidden: false }],
    });
    expect(tier).toEqual({ name: 'tier', label: 'Tier', type: 'picklist', custom: true, options: ['enterprise', 'smb'] });
    expect(mapProperty({ name: 'vip', label: 'VIP', type: 'enumeration', fieldType: 'booleancheckbox' }).type).toBe('boolean');
    expect(mapProperty({ name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select', referencedObjectType: 'OWNER', hubspotDefined: true }).type).toBe(
      'reference',
    );
  });

  it('reads dates, datetimes and text, and anything else as other', () => {
    const types = ['date', 'datetime', 'string', 'phone_number', 'object_coordinates'].map((type) => mapProperty({ name: 'x', label: 'X', type, fieldType: 'text' }).type);
    expect(types).toEqual(['date', 'datetime', 'text', 'text', 'other']);
  });
});
