import { salesforceDescriptor } from '../descriptor';
import { KEY_PREFIX } from './salesforce-ids';

/**
 * The objects and fields the sandbox org has, as describe reports them. Only what nps-bridge
 * reads, plus a few neighbours so describe looks like an org's.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'currency'
  | 'double'
  | 'int'
  | 'picklist'
  | 'multipicklist'
  | 'reference';

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
}

export interface ChildRelationship {
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
export const CONTACT_ROLE_VALUES = salesforceDescriptor.defaultContactRoles;

export const TIERS = ['Enterprise', 'Mid-Market', 'SMB'] as const;
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const TASK_CLOSED_STATUSES: readonly string[] = ['Completed'];
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const CONTRACT_STATUSES = ['Draft', 'In Approval Process', 'Activated', 'Expired'] as const;

function field(name: string, type: FieldType, extra: Partial<FieldSchema> = {}): FieldSchema {
  const custom = name.endsWith('__c');
  const label = name.replace(/__c$/, '').replace(/_/g, ' ');
  return { name, type, label, custom, nillable: !['id', 'boolean'].includes(type) && name !== 'Name', ...extra };
}

const ref = (name: string, referenceTo: string, relationshipName: string) => field(name, 'reference', { referenceTo, relationshipName });
const system = (softDeletes: boolean) => [field('Id', 'id'), ...(softDeletes ? [field('IsDeleted', 'boolean')] : []), field('SystemModstamp', 'datetime')];

export interface SchemaOptions {
  /** Multi-currency orgs have CurrencyIsoCode on every currency-bearing object. */
  multiCurrency: boolean;
  /** "Object.Field" names to leave out (a missing mapped field). */
  omitFields: readonly string[];
}

export function buildSchema(options: SchemaOptions): Map<string, ObjectSchema> {
  const currency = options.multiCurrency ? [field('CurrencyIsoCode', 'picklist', { picklistValues: ['USD', 'EUR', 'GBP'] })] : [];
  const objects: ObjectSchema[] = [
    {
      name: 'User',
      label: 'User',
      softDeletes: false,
      fields: [...system(false), field('Username', 'string'), field('Name', 'string'), field('FirstName', 'string'), field('LastName', 'string'), field('Email', 'email'), field('Title', 'string'), field('IsActive', 'boolean')],
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
        { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
        { relationshipName: 'AccountContactRelations', childSObject: 'AccountContactRelation', field: 'AccountId' },
      ],
    },
    {
      name: 'Contract',
      label: 'Contract',
      softDeletes: true,
      fields: [...system(true), ref('AccountId', 'Account', 'Account'), field('ContractNumber', 'string'), field('Status', 'picklist', { picklistValues: CONTRACT_STATUSES }), field('StartDate', 'date'), field('EndDate', 'date'), field('ContractTerm', 'int'), ...currency],
      childRelationships: [],
    },
    {
      name: 'Contact',
      label: 'Contact',
      softDeletes: true,
      fields: [...system(true), ref('AccountId', 'Account', 'Account'), field('FirstName', 'string'), field('LastName', 'string'), field('Name', 'string'), field('Email', 'email'), field('Title', 'string')],
      childRelationships: [{ relationshipName: 'AccountContactRelations', childSObject: 'AccountContactRelation', field: 'ContactId' }],
    },
    {
      name: 'AccountContactRelation',
      label: 'Account Contact Relationship',
      softDeletes: true,
      fields: [...system(true), ref('AccountId', 'Account', 'Account'), ref('ContactId', 'Contact', 'Contact'), field('Roles', 'multipicklist', { picklistValues: CONTACT_ROLE_VALUES }), field('IsActive', 'boolean'), field('IsDirect', 'boolean'), field('StartDate', 'date'), field('EndDate', 'date')],
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
        field('Description', 'string'),
        field('IsClosed', 'boolean'),
        field('CompletedDateTime', 'datetime'),
        field('LastModifiedDate', 'datetime'),
      ],
      childRelationships: [],
    },
  ];
  const omitted = new Set(options.omitFields.map((f) => f.toLowerCase()));
  return new Map(
    objects.map((o) => [o.name.toLowerCase(), { ...o, fields: o.fields.filter((f) => !omitted.has(`${o.name}.${f.name}`.toLowerCase())) }]),
  );
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
    fields: schema.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      custom: f.custom,
      nillable: f.nillable,
      referenceTo: f.referenceTo ? [f.referenceTo] : [],
      relationshipName: f.relationshipName ?? null,
      picklistValues: (f.picklistValues ?? []).map((value) => ({ value, label: value, active: true, defaultValue: false })),
    })),
    childRelationships: schema.childRelationships.map((c) => ({ ...c, cascadeDelete: false })),
  };
}
