import { CrmFieldInfo } from '@connectors/core/src';
import { fieldMappingOf, mappingSettings, writeOptions } from './field-mapping';
import { validateSettings } from './connector-input';
import { crmConnectorFactory } from '@connectors/core/registry';

const field = (name: string, type: CrmFieldInfo['type']): CrmFieldInfo => ({ name, label: name, type, custom: true });

describe('the field mapping the console offers', () => {
  const defaults = (kind: string) => crmConnectorFactory(kind)!.withDefaults(undefined) as unknown as Record<string, unknown>;

  it('lists every fieldMapping key of the connector with its default, and whether the API takes "not mapped"', () => {
    const { reads } = fieldMappingOf('salesforce', defaults('salesforce'));
    expect(reads.map((r) => [r.key, r.current, r.nullable, r.choosable])).toEqual([
      ['arr', 'ARR__c', false, true],
      ['arrCurrency', null, true, true],
      ['renewalDate', null, false, false],
      ['tier', 'Tier__c', true, true],
      ['customerSince', 'Customer_Since__c', true, true],
      ['usage', null, true, true],
    ]);
    expect(reads.find((r) => r.key === 'renewalDate')!.shown).toBe('source: contract');
  });

  it('lists the NPS fields written, with the connector default names and the renames in settings.npsFields', () => {
    const settings = { ...defaults('hubspot'), npsFields: { relationalNps: 'our_nps' } };
    const { writes } = fieldMappingOf('hubspot', settings);
    expect(writes).toHaveLength(16);
    expect(writes[0]).toMatchObject({ field: 'relationalNps', object: 'account', type: 'number', current: 'our_nps', defaultName: 'nps_relational' });
    expect(writes.filter((w) => w.object === 'contact')).toHaveLength(8);
  });

  it('offers a written field only real fields its values fit', () => {
    const { writes } = fieldMappingOf('salesforce', defaults('salesforce'));
    const fields = [field('A__c', 'number'), field('B__c', 'text'), field('C__c', 'picklist'), field('D__c', 'date'), field('E__c', 'currency')];
    const byField = Object.fromEntries(writes.map((w) => [w.field, writeOptions(w, fields).map((f) => f.name)]));
    expect(byField.relationalNps).toEqual(['A__c']);
    expect(byField.sentiment).toEqual(['B__c', 'C__c']);
    expect(byField.lastRelationalComment).toEqual(['B__c']);
    expect(byField.lastResponseDate).toEqual(['D__c']);
  });

  it('keeps only what differs from the defaults, and the API accepts what it makes', () => {
    const stored = {
      ...defaults('salesforce'),
      fieldMapping: { ...(defaults('salesforce').fieldMapping as object), renewalDate: { source: 'field', field: 'Renewal__c' }, tier: 'Plan__c' },
    };
    const model = fieldMappingOf('salesforce', stored);
    const patch = mappingSettings(model, { reads: { tier: 'Tier__c', usage: 'Usage__c', arrCurrency: '' }, writes: { relationalNps: 'NPS__c', roleGap: 'NPS_Role_Gap__c' } });
    expect(patch).toEqual({ fieldMapping: { renewalDate: { source: 'field', field: 'Renewal__c' }, usage: 'Usage__c' }, npsFields: { relationalNps: 'NPS__c' } });
    expect(validateSettings(crmConnectorFactory('salesforce')!, patch)).toMatchObject(patch);
  });
});
