import { MissingField, VendorError } from '@connectors/core/src';
import { ACCOUNT_FIELDS } from './map-account';
import { CONTACT_ROLE_FIELDS } from './map-contact-role';
import { CONTACT_FIELDS } from './map-contact';
import { SalesforceFieldMapping } from './salesforce-settings';

/** The parts of a describe result we use. */
export interface DescribeResult {
  name: string;
  fields: { name: string; relationshipName?: string | null }[];
}

export interface ExpectedField {
  object: string;
  field: string;
  /** Which setting (fieldMapping.arr) or stream (streams.contacts) needs it. */
  setting: string;
}

/**
 * Every field the reads select, by object, with the setting that asks for it. Standard fields
 * are listed too: field-level security can hide them from the integration user, and describe
 * shows only what the user can see.
 */
export function expectedFields(mapping: SalesforceFieldMapping): ExpectedField[] {
  const standard = (object: string, fields: readonly string[], stream: string) => fields.map((field) => ({ object, field, setting: `streams.${stream}` }));
  const mapped: ExpectedField[] = [];
  const add = (field: string | null, setting: string) => field && mapped.push({ object: 'Account', field, setting: `fieldMapping.${setting}` });
  add(mapping.arr, 'arr');
  add(mapping.arrCurrency, 'arrCurrency');
  if (mapping.renewalDate.source === 'field') add(mapping.renewalDate.field ?? null, 'renewalDate.field');
  add(mapping.tier, 'tier');
  add(mapping.customerSince, 'customerSince');
  add(mapping.usage, 'usage');
  const contract =
    mapping.renewalDate.source === 'contract' ? ['AccountId', 'EndDate', 'Status'].map((field) => ({ object: 'Contract', field, setting: 'fieldMapping.renewalDate' })) : [];
  return [
    ...standard('Account', ACCOUNT_FIELDS, 'accounts'),
    ...mapped,
    ...contract,
    ...standard('Contact', CONTACT_FIELDS, 'contacts'),
    ...standard('AccountContactRelation', CONTACT_ROLE_FIELDS, 'contact_roles'),
  ];
}

/** The objects to describe, in call order. */
export function objectsToDescribe(expected: ExpectedField[]): string[] {
  return [...new Set(expected.map((e) => e.object))];
}

/**
 * Expected fields the describe results lack. A relationship path (Parent.Tier__c) is checked on
 * its first hop only. An object that could not be described (null: NOT_FOUND, e.g. "Contacts to
 * Multiple Accounts" is off, so AccountContactRelation does not exist) lacks all its fields.
 */
export function findMissingFields(expected: ExpectedField[], described: Map<string, DescribeResult | null>): MissingField[] {
  return expected.filter(({ object, field }) => {
    const result = described.get(object);
    if (!result) return true;
    const [first, ...rest] = field.toLowerCase().split('.');
    return !result.fields.some((f) => (rest.length > 0 ? f.relationshipName?.toLowerCase() === first : f.name.toLowerCase() === first));
  });
}

export function describeMissing(missing: MissingField[]): string | null {
  if (missing.length === 0) return null;
  return `Salesforce lacks (or hides from the integration user) ${missing.map((m) => `${m.object}.${m.field} (${m.setting})`).join(', ')}`;
}

/** A describe that answered NOT_FOUND means the object is not available in this org. */
export function isMissingObject(error: unknown): boolean {
  return error instanceof VendorError && error.kind === 'not_found';
}
