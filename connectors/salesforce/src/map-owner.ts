import { CrmOwnerRecord } from '@connectors/core/src';
import { MappedRow } from './mapped-row';
import { FieldReader, SalesforceRecord } from './salesforce-values';

/** The User fields the owners stream reads (User has no IsDeleted: users are deactivated, never deleted). */
export const OWNER_FIELDS = ['Id', 'Name', 'Email', 'IsActive', 'SystemModstamp'] as const;

/** A Salesforce User as a CRM owner; an inactive user stays an owner with active = false. */
export function mapOwner(raw: SalesforceRecord): MappedRow<CrmOwnerRecord> {
  const user = new FieldReader('User', raw);
  return {
    externalId: user.id,
    modifiedAt: user.instant('SystemModstamp'),
    record: {
      externalId: user.id,
      name: user.optionalString('Name'),
      email: user.optionalString('Email'),
      active: user.boolean('IsActive'),
    },
  };
}
