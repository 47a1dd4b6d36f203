import { DEFAULT_CONTACT_ROLES } from './salesforce-facts';
import { KEY_PREFIX } from './salesforce-ids';
import type { SeededNpsField } from '../kit/nps-fields-seed';

/**
 * The objects and fields the sandbox org has, as describe reports them. Only what nps-bridge
 * reads, plus a few neighbours so describe looks like an org's.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'currency'
  | 'double'
  | 'int'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  /** History rows' OldValue / NewValue: the tracked field's own type, whatever it is. */
  | 'anyType';

export interface FieldSchema {
  name: string;
  type: FieldType;
  label: string;
  custom: boolean;
  nillable: boolean;
  /** reference fields: the object and the relationship name used in SOQL paths (Owner.Name). */
  referenceTo?: string;
  relationshipName?: string;
  picklistValues?: readonly string[];
  /** Text: the most characters it holds (STRING_TOO_LONG past it). */
  length?: number;
  /** Numbers: total digits and decimals (NUMBER_OUTSIDE_VALID_RANGE past them). */
  precision?: number;
  scale?: number;
  description?: string;
  inlineHelpText?: string;
  /**
   * Field-level security for the integration user: 'none' hides it from describe, SOQL and
   * writes (as for a field created through the API before anyone granted it), 'read' makes it
   * read-only. Absent: read and edit.
   */
  access?: 'none' | 'read' | 'edit';
}

/** Fields Salesforce sets itself: describe marks them not updateable, writes refuse them. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'isdeleted',
  'systemmodstamp',
  'createddate',
  'lastmodifieddate',
  'isclosed',
  'completeddatetime',
  'isownedbyprofile',
]);

interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
}

export interface ObjectSchema {
  name: string;
  label: string;
  /** User has no IsDeleted: users are deactivated, never deleted. */
  softDeletes: boolean;
  fields: FieldSchema[];
  childRelationships: ChildRelationship[];
}

/** The org's AccountContactRelation.Roles picklist: Salesforce's defaults. */
export const CONTACT_ROLE_VALUES = DEFAULT_CONTACT_ROLES;

const TIERS = ['Enterprise', 'Mid-Market', 'SMB'] as const;
const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const TASK_CLOSED_STATUSES: readonly string[] = ['Completed'];
const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
const CONTRACT_STATUSES = ['Draft', 'In Approval Process', 'Activated', 'Expired'] as const;

/** Salesforce's text lengths for the standard fields the sandbox has; others hold 255. */
const LENGTHS: Record<string, number> = { FirstName: 40, LastName: 80, Email: 80, Title: 128, Username: 80, ContractNumber: 30, Label: 80, Field: 255, SobjectType: 40 };
const NUMBERS: Partial<Record<FieldType, { precision: number; scale: number }>> = {
  currency: { precision: 18, scale: 2 },
  double: { precision: 18, scale: 2 },
  int: { precision: 9, scale: 0 },
};

function field(name: string, type: FieldType, extra: Partial<FieldSchema> = {}): FieldSchema {
  const custom = name.endsWith('__c');
  const label = name.replace(/__c$/, '').replace(/_/g, ' ');
  const text = ['string', 'email', 'textarea'].includes(type) ? { length: LENGTHS[name] ?? 255 } : {};
  return { name, type, label, custom, nillable: !['id', 'boolean'].includes(type) && name !== 'Name', ...text, ...NUMBERS[type], ...extra };
}

const ref = (name: string, referenceTo: string, relationshipName: string) => field(name, 'reference', { referenceTo, relationshipName });
const system = (softDeletes: boolean) => [field('Id', 'id'), ...(softDeletes ? [field('IsDeleted', 'boolean')] : []), field('SystemModstamp', 'datetime')];

export interface SchemaOptions {
  /** Multi-currency orgs have CurrencyIsoCode on every currency-bearing object. */
  multiCurrency: boolean;
  /** "Object.Field" names to leave out (a missing mapped field). */
  omitFields: readonly string[];
  /** Account fields with field history tracking on (AccountHistory.Field's values besides 'created'). Default none. */
  trackedAccountFields?: readonly string[];
}

export function buildSchema(options: SchemaOptions): Map<string, ObjectSchema> {
  const currency = options.multiCurrency ? [field('CurrencyIsoCode', 'picklist', { picklistValues: ['USD', 'EUR', 'GBP'] })] : [];
  const objects: ObjectSchema[] = [
    {
      name: 'User',
      label: 'User',
      softDeletes: false,
      fields: [
        ...system(false),
        field('Username', 'string'),
        field('Name', 'string'),
        field('FirstName', 'string'),
        field('LastName', 'string'),
        field('Email', 'email'),
        field('Title', 'string'),
        field('IsActive', 'boolean'),
      ],
      childRelationships: [],
    },
    {
      name: 'Account',
      label: 'Account',
      softDeletes: true,
      fields: [
        ...system(true),
        field('Name', 'string'),
        ref('OwnerId', 'User', 'Owner'),
        field('Industry', 'picklist', { picklistValues: ['Technology', 'Healthcare', 'Retail', 'Manufacturing', 'Finance', 'Energy', 'Media'] }),
        field('AnnualRevenue', 'currency'),
        ...currency,
        field('ARR__c', 'currency'),
        field('Tier__c', 'picklist', { picklistValues: TIERS }),
        field('Customer_Since__c', 'date'),
        field('Usage_Score__c', 'double'),
        field('Renewal_Date__c', 'date'),
      ],
      childRelationships: [
        { relationshipName: 'Contracts', childSObject: 'Contract', field: 'AccountId' },
        { relationshipName: 'Histories', childSObject: 'AccountHistory', field: 'AccountId' },
        { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
        { relationshipName: 'AccountContactRelations', childSObject: 'AccountContactRelation', field: 'AccountId' },
      ],
    },
    // Field history: one row per change of a tracked field, plus 'created' when the account was
    // created with tracking on. Read-only, and it has no SystemModstamp (CreatedDate only).
    {
      name: 'AccountHistory',
      label: 'Account History',
      softDeletes: true,
      fields: [
        field('Id', 'id'),
        field('IsDeleted', 'boolean'),
        ref('AccountId', 'Account', 'Account'),
        field('Field', 'picklist', { picklistValues: ['created', ...(options.trackedAccountFields ?? [])] }),
        field('OldValue', 'anyType'),
        field('NewValue', 'anyType'),
        field('CreatedDate', 'datetime'),
      ],
      childRelationships: [],
    },
    {
      name: 'Contract',
      label: 'Contract',
      softDeletes: true,
      fields: [
        ...system(true),
        ref('AccountId', 'Account', 'Account'),
        field('ContractNumber', 'string'),
        field('Status', 'picklist', { picklistValues: CONTRACT_STATUSES }),
        field('StartDate', 'date'),
        field('EndDate', 'date'),
        field('ContractTerm', 'int'),
        ...currency,
      ],
      childRelationships: [],
    },
    {
      name: 'Contact',
      label: 'Contact',
      softDeletes: true,
      fields: [
        ...system(true),
        ref('AccountId', 'Account', 'Account'),
        field('FirstName', 'string'),
        field('LastName', 'string'),
        field('Name', 'string'),
        field('Email', 'email'),
        field('Title', 'string'),
      ],
      childRelationships: [{ relationshipName: 'AccountContactRelations', childSObject: 'AccountContactRelation', field: 'ContactId' }],
    },
    {
      name: 'AccountContactRelation',
      label: 'Account Contact Relationship',
      softDeletes: true,
      fields: [
        ...system(true),
        ref('AccountId', 'Account', 'Account'),
        ref('ContactId', 'Contact', 'Contact'),
        field('Roles', 'multipicklist', { picklistValues: CONTACT_ROLE_VALUES }),
        field('IsActive', 'boolean'),
        field('IsDirect', 'boolean'),
        field('StartDate', 'date'),
        field('EndDate', 'date'),
      ],
      childRelationships: [],
    },
    {
      name: 'Task',
      label: 'Task',
      softDeletes: true,
      fields: [
        ...system(true),
        field('Subject', 'string'),
        ref('WhoId', 'Contact', 'Who'),
        ref('WhatId', 'Account', 'What'),
        ref('OwnerId', 'User', 'Owner'),
        field('ActivityDate', 'date'),
        field('Status', 'picklist', { picklistValues: TASK_STATUSES }),
        field('Priority', 'picklist', { picklistValues: TASK_PRIORITIES }),
        field('Description', 'textarea', { length: 32000 }),
        field('IsClosed', 'boolean'),
        field('CompletedDateTime', 'datetime'),
        field('CreatedDate', 'datetime'),
        field('LastModifiedDate', 'datetime'),
      ],
      childRelationships: [],
    },
    // Setup objects nps-bridge writes to grant itself field-level security.
    {
      name: 'PermissionSet',
      label: 'Permission Set',
      softDeletes: false,
      fields: [
        ...system(false),
        field('Name', 'string', { length: 80 }),
        field('Label', 'string'),
        field('Description', 'textarea', { length: 255 }),
        field('IsOwnedByProfile', 'boolean'),
      ],
      childRelationships: [
        { relationshipName: 'FieldPerms', childSObject: 'FieldPermissions', field: 'ParentId' },
        { relationshipName: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId' },
      ],
    },
    {
      name: 'FieldPermissions',
      label: 'Field Permissions',
      softDeletes: false,
      fields: [
        ...system(false),
        ref('ParentId', 'PermissionSet', 'Parent'),
        field('SobjectType', 'string'),
        field('Field', 'string'),
        field('PermissionsRead', 'boolean'),
        field('PermissionsEdit', 'boolean'),
      ],
      childRelationships: [],
    },
    {
      name: 'PermissionSetAssignment',
      label: 'Permission Set Assignment',
      softDeletes: false,
      fields: [...system(false), ref('PermissionSetId', 'PermissionSet', 'PermissionSet'), ref('AssigneeId', 'User', 'Assignee')],
      childRelationships: [],
    },
  ];
  const omitted = new Set(options.omitFields.map((f) => f.toLowerCase()));
  return new Map(objects.map((o) => [o.name.toLowerCase(), { ...o, fields: o.fields.filter((f) => !omitted.has(`${o.name}.${f.name}`.toLowerCase())) }]));
}

/** Fields the integration user can see (field-level security). */
const visibleFields = (schema: ObjectSchema) => schema.fields.filter((f) => f.access !== 'none');

/**
 * A custom field as an admin creates it in Setup, in Salesforce's types: Number(18, 0) (describe
 * says double), Date, Long Text Area at Setup's default 32,768 characters, restricted Picklist.
 */
export function customFieldSchema(name: string, spec: Pick<SeededNpsField, 'label' | 'kind' | 'options' | 'description'>): FieldSchema {
  const base = { label: spec.label, description: spec.description, inlineHelpText: spec.description };
  switch (spec.kind) {
    case 'number':
      return field(name, 'double', { ...base, precision: 18, scale: 0 });
    case 'date':
      return field(name, 'date', base);
    case 'textarea':
      return field(name, 'textarea', { ...base, length: 32768 });
    case 'picklist':
      return field(name, 'picklist', { ...base, picklistValues: spec.options ?? [] });
  }
}

/** The describe resource's answer (the subset of Salesforce's shape a client reads). */
export function describeObject(schema: ObjectSchema) {
  return {
    name: schema.name,
    label: schema.label,
    custom: false,
    queryable: true,
    retrieveable: true,
    deletable: schema.softDeletes,
    keyPrefix: (KEY_PREFIX as Record<string, string>)[schema.name] ?? null,
    fields: visibleFields(schema).map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      custom: f.custom,
      nillable: f.nillable,
      length: f.length ?? 0,
      precision: f.precision ?? 0,
      scale: f.scale ?? 0,
      createable: !SYSTEM_FIELDS.has(f.name.toLowerCase()) && f.access !== 'read',
      updateable: !SYSTEM_FIELDS.has(f.name.toLowerCase()) && f.access !== 'read',
      restrictedPicklist: f.type === 'picklist',
      inlineHelpText: f.inlineHelpText ?? null,
      referenceTo: f.referenceTo ? [f.referenceTo] : [],
      relationshipName: f.relationshipName ?? null,
      picklistValues: (f.picklistValues ?? []).map((value) => ({ value, label: value, active: true, defaultValue: false })),
    })),
    childRelationships: schema.childRelationships.map((c) => ({ ...c, cascadeDelete: false })),
  };
}
