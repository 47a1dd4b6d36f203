import { VendorError } from '@connectors/core/src';
import { blamedRecords, propertyProblems, propertyValue } from './property-values';

const refusal = (details: unknown[]) =>
  new VendorError('hubspot', 'invalid', `Property values were not valid: ${JSON.stringify(details)}`, { status: 400, code: 'VALIDATION_ERROR' });
const item = (key: string, properties: Record<string, string>) => ({ key, input: { id: key, properties } });

describe('HubSpot property values', () => {
  it('formats values as HubSpot properties take them', () => {
    expect(propertyValue(null)).toBe('');
    expect(propertyValue(true)).toBe('true');
    expect(propertyValue(false)).toBe('false');
    expect(propertyValue(-12)).toBe('-12');
    expect(propertyValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(propertyValue(2.5e-8)).toBe('0.000000025');
    expect(propertyValue(Infinity)).toBeUndefined();
    expect(propertyValue('2026-02-28')).toBe('2026-02-28');
    expect(propertyValue('')).toBe('');
  });

  it('reads HubSpot’s list of refused values back out of its message, and nothing out of other messages', () => {
    expect(
      propertyProblems(
        'Property values were not valid: [{"isValid":false,"name":"tier","error":"INVALID_OPTION","propertyValue":"Gold"},{"name":"x","error":"PROPERTY_DOESNT_EXIST"}]',
      ),
    ).toEqual([
      { name: 'tier', error: 'INVALID_OPTION', value: 'Gold' },
      { name: 'x', error: 'PROPERTY_DOESNT_EXIST' },
    ]);
    expect(propertyProblems('Property values were not valid: [{"name":')).toBeUndefined();
    expect(propertyProblems('No company with ID 5 exists to associate with.')).toBeUndefined();
  });

  it('blames records by property for unknown properties, by value for bad values, and gives up when a bad value is not quoted', () => {
    const items = [item('a', { nps_x: '1', tier: 'Gold' }), item('b', { tier: 'SMB' }), item('c', { tier: 'Gold' })];

    expect(blamedRecords(refusal([{ name: 'nps_x', error: 'PROPERTY_DOESNT_EXIST' }]), items)?.map((i) => i.key)).toEqual(['a']);
    expect(blamedRecords(refusal([{ name: 'tier', error: 'INVALID_OPTION', propertyValue: 'Gold' }]), items)?.map((i) => i.key)).toEqual(['a', 'c']);
    expect(blamedRecords(refusal([{ name: 'tier', error: 'INVALID_OPTION' }]), items)).toBeUndefined();
    expect(blamedRecords(refusal([{ name: 'tier', error: 'INVALID_OPTION', propertyValue: 'Platinum' }]), items)).toBeUndefined();
  });
});
