import { TIERS } from './sandbox-data';
import { SandboxObjectType } from './sandbox-objects';

/** A property definition as GET /crm/v3/properties/{objectType} lists it. */
export interface SandboxProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean; description?: string }>;
  displayOrder: number;
  hubspotDefined: boolean;
  /** Set by HubSpot itself (ids, create and modification times): writing it is refused. */
  readOnlyValue: boolean;
  /** Options kept elsewhere (owners): any valid owner id, not a listed option. */
  externalOptions: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  createdMs: number;
}

export interface SandboxGroup {
  name: string;
  label: string;
  displayOrder: number;
}

/** HubSpot's property types and the field types each accepts (properties guide). */
export const FIELD_TYPES: Record<string, string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
};

type Def = [name: string, label: string, type: string, fieldType: string, group: string, kind?: 'custom' | 'readOnly' | 'owner'];

/** What a portal starts with: standard properties, and the customer-success ones an admin added. */
const STANDARD: Record<SandboxObjectType, { groups: SandboxGroup[]; properties: Def[] }> = {
  companies: {
    groups: [
      { name: 'companyinformation', label: 'Company information', displayOrder: 0 },
      { name: 'customer_success', label: 'Customer success', displayOrder: 1 },
    ],
    properties: [
      ['name', 'Company name', 'string', 'text', 'companyinformation'],
      ['domain', 'Company Domain Name', 'string', 'text', 'companyinformation'],
      ['annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'],
      ['hubspot_owner_id', 'Company owner', 'enumeration', 'select', 'companyinformation', 'owner'],
      ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'companyinformation', 'readOnly'],
      ['createdate', 'Create Date', 'datetime', 'date', 'companyinformation', 'readOnly'],
      ['hs_object_id', 'Record ID', 'number', 'number', 'companyinformation', 'readOnly'],
      ['arr', 'ARR', 'number', 'number', 'customer_success', 'custom'],
      ['renewal_date', 'Renewal date', 'date', 'date', 'customer_success', 'custom'],
      ['tier', 'Tier', 'enumeration', 'select', 'customer_success', 'custom'],
      ['customer_since', 'Customer since', 'date', 'date', 'customer_success', 'custom'],
      ['product_usage_score', 'Product usage score', 'number', 'number', 'customer_success', 'custom'],
    ],
  },
  contacts: {
    groups: [{ name: 'contactinformation', label: 'Contact information', displayOrder: 0 }],
    properties: [
      ['email', 'Email', 'string', 'text', 'contactinformation'],
      ['firstname', 'First Name', 'string', 'text', 'contactinformation'],
      ['lastname', 'Last Name', 'string', 'text', 'contactinformation'],
      ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', 'readOnly'],
      ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation', 'readOnly'],
      ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation', 'readOnly'],
    ],
  },
};

const OPTIONS: Record<string, readonly string[]> = { tier: TIERS };

/**
 * The portal's property definitions and groups per object type. Records can hold a value only
 * for a defined property; definitions created through the API become writable and readable.
 */
export class SandboxSchema {
  private readonly defs: Record<SandboxObjectType, Map<string, SandboxProperty>> = { companies: new Map(), contacts: new Map() };
  private readonly groupDefs: Record<SandboxObjectType, Map<string, SandboxGroup>> = { companies: new Map(), contacts: new Map() };

  /** `missing`: company properties this portal lacks (e.g. ['arr']), to exercise testConnection. */
  constructor(missing: Iterable<string>, now: number) {
    const dropped = new Set(missing);
    for (const type of ['companies', 'contacts'] as const) {
      for (const group of STANDARD[type].groups) this.groupDefs[type].set(group.name, group);
      for (const [name, label, kind, fieldType, groupName, flag] of STANDARD[type].properties) {
        if (type === 'companies' && dropped.has(name)) continue;
        const options = (OPTIONS[name] ?? []).map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));
        this.add(type, {
          name,
          label,
          type: kind,
          fieldType,
          groupName,
          description: '',
          options,
          displayOrder: -1,
          hubspotDefined: flag !== 'custom',
          readOnlyValue: flag === 'readOnly',
          externalOptions: flag === 'owner',
          formField: flag === 'custom',
          hasUniqueValue: false,
          createdMs: now,
        });
      }
    }
  }

  property(type: SandboxObjectType, name: string): SandboxProperty | undefined {
    return this.defs[type].get(name);
  }

  properties(type: SandboxObjectType): SandboxProperty[] {
    return [...this.defs[type].values()];
  }

  group(type: SandboxObjectType, name: string): SandboxGroup | undefined {
    return this.groupDefs[type].get(name);
  }

  groups(type: SandboxObjectType): SandboxGroup[] {
    return [...this.groupDefs[type].values()];
  }

  add(type: SandboxObjectType, property: SandboxProperty): void {
    this.defs[type].set(property.name, property);
  }

  addGroup(type: SandboxObjectType, group: SandboxGroup): void {
    this.groupDefs[type].set(group.name, group);
  }

  /** A property as the properties API returns it. */
  static json(p: SandboxProperty) {
    const at = new Date(p.createdMs).toISOString();
    return {
      name: p.name,
      label: p.label,
      type: p.type,
      fieldType: p.fieldType,
      groupName: p.groupName,
      description: p.description,
      options: p.options,
      displayOrder: p.displayOrder,
      calculated: false,
      externalOptions: p.externalOptions,
      hasUniqueValue: p.hasUniqueValue,
      hidden: false,
      formField: p.formField,
      hubspotDefined: p.hubspotDefined,
      createdAt: at,
      updatedAt: at,
      archived: false,
      modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
    };
  }
}
