import { mapField } from './map-field';

describe('mapField (Salesforce describe)', () => {
  it('reads a custom currency field as currency, custom', () => {
    expect(mapField({ name: 'ARR__c', label: 'ARR', type: 'currency', custom: true })).toEqual({ name: 'ARR__c', label: 'ARR', type: 'currency', custom: true });
  });

  it('keeps only the active values of a picklist', () => {
    const tier = mapField({
      name: 'Tier__c',
      label: 'Tier',
      type: 'picklist',
      custom: true,
      picklistValues: [{ value: 'Enterprise', active: true }, { value: 'Legacy', active: false }, { value: 'SMB' }],
    });
    expect(tier).toEqual({ name: 'Tier__c', label: 'Tier', type: 'picklist', custom: true, options: ['Enterprise', 'SMB'] });
  });

  it('reads standard types by what a setting may map to, and the rest as other', () => {
    const types = ['date', 'datetime', 'double', 'percent', 'reference', 'boolean', 'textarea', 'address'].map(
      (type) => mapField({ name: 'X', label: 'X', type, custom: false }).type,
    );
    expect(types).toEqual(['date', 'datetime', 'number', 'number', 'reference', 'boolean', 'text', 'other']);
  });
});
