import { CrmFieldInfo, CrmFieldType } from '@connectors/core/src';

/** The parts of a describe result's field we show (sObject Describe, `fields[]`). */
export interface DescribedFieldJson {
  name: string;
  label: string;
  type: string;
  custom: boolean;
  picklistValues?: Array<{ value: string; active?: boolean }>;
}

/**
 * Salesforce's field types (the describe's `type`) by what a setting may map to. Types not
 * listed (address, location, base64, anyType, …) are `other`: shown, but no setting takes them.
 */
const TYPES: Readonly<Record<string, CrmFieldType>> = {
  string: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  encryptedstring: 'text',
  id: 'text',
  double: 'number',
  int: 'number',
  long: 'number',
  percent: 'number',
  currency: 'currency',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  picklist: 'picklist',
  multipicklist: 'picklist',
  combobox: 'picklist',
  reference: 'reference',
};

/** One described field in the product's words; a picklist keeps its active values. */
export function mapField(raw: DescribedFieldJson): CrmFieldInfo {
  const type = TYPES[raw.type] ?? 'other';
  const field: CrmFieldInfo = { name: raw.name, label: raw.label, type, custom: raw.custom };
  if (type === 'picklist') field.options = (raw.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value);
  return field;
}
