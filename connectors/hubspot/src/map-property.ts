import { CrmFieldInfo, CrmFieldType } from '@connectors/core/src';

/** The parts of a property definition we show (GET /crm/v3/properties/{objectType}, README "Custom properties"). */
export interface PropertyJson {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  hubspotDefined?: boolean;
  hidden?: boolean;
  showCurrencySymbol?: boolean;
  referencedObjectType?: string;
  options?: Array<{ value: string; hidden?: boolean }>;
}

/** HubSpot's property types by what a setting may map to; types not listed are `other`. */
const TYPES: Readonly<Record<string, CrmFieldType>> = {
  string: 'text',
  phone_number: 'text',
  number: 'number',
  date: 'date',
  datetime: 'datetime',
  bool: 'boolean',
  enumeration: 'picklist',
};

/**
 * One property in the product's words: a number shown with a currency symbol is currency, a
 * single checkbox enumeration a boolean, an enumeration of owners a reference; a picklist keeps
 * its visible options. Properties HubSpot did not define are custom.
 */
export function mapProperty(raw: PropertyJson): CrmFieldInfo {
  let type: CrmFieldType = TYPES[raw.type] ?? 'other';
  if (type === 'number' && raw.showCurrencySymbol) type = 'currency';
  if (type === 'picklist' && raw.fieldType === 'booleancheckbox') type = 'boolean';
  if (type === 'picklist' && raw.referencedObjectType) type = 'reference';
  const field: CrmFieldInfo = { name: raw.name, label: raw.label, type, custom: raw.hubspotDefined !== true };
  if (type === 'picklist') field.options = (raw.options ?? []).filter((o) => o.hidden !== true).map((o) => o.value);
  return field;
}
