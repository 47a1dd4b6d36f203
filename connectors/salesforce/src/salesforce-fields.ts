import { CrmFieldSpec, CrmObject, FieldSetupResult } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { SalesforceClient } from './salesforce-client';
import { FieldAccessGrant, FieldRef, isRefusal } from './salesforce-field-access';

interface DescribedField {
  name: string;
  updateable?: boolean;
}

const SOBJECT: Record<CrmObject, string> = { account: 'Account', contact: 'Contact' };
/** A custom field's API name: letters, digits and single underscores, ending in __c. */
const CUSTOM_FIELD_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/;
const { customField } = salesforceDescriptor;

/**
 * The Tooling API CustomField Metadata for a spec (Metadata API CustomField shape): Number
 * (18 digits, whole: we write NPS in whole points), Date, Text(255), LongTextArea with
 * visibleLines, or a restricted Picklist whose values are its valueSetDefinition.
 */
function customFieldMetadata(spec: CrmFieldSpec): Record<string, unknown> {
  const base = { label: spec.label, description: spec.description, inlineHelpText: spec.description, required: false };
  switch (spec.type) {
    case 'number':
      return { ...base, type: 'Number', precision: customField.numberPrecision, scale: customField.numberScale };
    case 'date':
      return { ...base, type: 'Date' };
    case 'text':
      return { ...base, type: 'Text', length: customField.textLength };
    case 'textarea':
      return { ...base, type: 'LongTextArea', length: customField.longTextLength, visibleLines: customField.longTextVisibleLines };
    case 'picklist':
      return {
        ...base,
        type: 'Picklist',
        valueSet: {
          restricted: true,
          valueSetDefinition: { sorted: false, value: (spec.options ?? []).map((value) => ({ fullName: value, label: value, default: false })) },
        },
      };
  }
}

/**
 * The setup command's field step: describe each object that has specs (one call each), create
 * the fields it lacks through the Tooling API, then grant the integration user read + edit
 * (FieldAccessGrant). A field describe does not list but Tooling calls a duplicate exists and is
 * hidden by field-level security: it is granted and reported existing. Whatever the org refuses
 * (permissions, Tooling off, invalid metadata) lands in `manual` with Salesforce's message;
 * outages and a refused session are thrown, so the command can simply run again.
 */
export class SalesforceFieldSetup {
  private readonly access: FieldAccessGrant;

  constructor(private readonly client: SalesforceClient) {
    this.access = new FieldAccessGrant(client);
  }

  async ensure(specs: CrmFieldSpec[], signal?: AbortSignal): Promise<FieldSetupResult> {
    const outcome = new Map<CrmFieldSpec, { list: 'created' | 'existing' } | { list: 'manual'; reason: string }>();
    const toGrant: CrmFieldSpec[] = [];
    for (const object of [...new Set(specs.map((s) => s.object))]) {
      const mine = specs.filter((s) => s.object === object);
      const described = await this.describe(SOBJECT[object], signal);
      if (typeof described === 'string') {
        mine.forEach((spec) => outcome.set(spec, { list: 'manual', reason: described }));
        continue;
      }
      for (const spec of mine) {
        const field = described.get(spec.name.toLowerCase());
        if (field) {
          outcome.set(spec, { list: 'existing' });
          // Visible but read-only to the integration user: grant edit too.
          if (field.updateable === false) toGrant.push(spec);
          continue;
        }
        const created = await this.create(spec, signal);
        if (typeof created === 'object') {
          outcome.set(spec, { list: 'manual', reason: created.reason });
          continue;
        }
        outcome.set(spec, { list: created === 'created' ? 'created' : 'existing' });
        toGrant.push(spec);
      }
    }
    const refused = await this.access.grant(
      toGrant.map((s): FieldRef => ({ object: SOBJECT[s.object], name: s.name })),
      signal,
    );
    for (const spec of toGrant) {
      const reason = refused.get(`${SOBJECT[spec.object]}.${spec.name}`);
      if (reason) outcome.set(spec, { list: 'manual', reason });
    }
    const result: FieldSetupResult = { created: [], existing: [], manual: [] };
    for (const spec of specs) {
      const o = outcome.get(spec)!;
      if (o.list === 'manual') result.manual.push({ ...spec, reason: o.reason });
      else result[o.list].push(spec);
    }
    return result;
  }

  /** Fields by lower-cased name, or why the object could not be described. */
  private async describe(object: string, signal?: AbortSignal): Promise<Map<string, DescribedField> | string> {
    try {
      const body = await this.client.get<{ fields: DescribedField[] }>(`/sobjects/${object}/describe`, signal);
      return new Map(body.fields.map((f) => [f.name.toLowerCase(), f]));
    } catch (error) {
      if (isRefusal(error)) return `Salesforce did not describe ${object}: ${error.message}`;
      throw error;
    }
  }

  private async create(spec: CrmFieldSpec, signal?: AbortSignal): Promise<'created' | 'hidden' | { reason: string }> {
    const object = SOBJECT[spec.object];
    if (!CUSTOM_FIELD_NAME.test(spec.name)) return { reason: `${spec.name} is not a custom field API name (letters, digits, single underscores, ending in __c)` };
    const body = { FullName: `${object}.${spec.name}`, Metadata: customFieldMetadata(spec) };
    try {
      await this.client.write<{ id?: string }>('POST', salesforceDescriptor.customFieldPath, body, signal, { replayable: false });
      return 'created';
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (error.details.code?.startsWith('DUPLICATE_')) return 'hidden';
      return { reason: `${object}.${spec.name} could not be created: ${error.message}` };
    }
  }
}
