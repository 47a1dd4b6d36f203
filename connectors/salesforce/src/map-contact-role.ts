import { CrmContactRoleRecord } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { MappedRow } from './mapped-row';
import { FieldReader, SalesforceRecord } from './salesforce-values';

export const CONTACT_ROLE_FIELDS = ['Id', 'AccountId', 'ContactId', 'Roles', 'IsActive', 'SystemModstamp', 'IsDeleted'] as const;

/**
 * An AccountContactRelation. Roles stay as the org names them: picklist values vary per org
 * (read its describe), and normalising them to decision_maker/admin/… is a program rule in
 * libs/nps. A relation that is deleted or no longer active is a deletion: the person no longer
 * speaks for that account.
 */
export function mapContactRole(raw: SalesforceRecord): MappedRow<CrmContactRoleRecord> {
  const relation = new FieldReader('AccountContactRelation', raw);
  const modifiedAt = relation.instant('SystemModstamp');
  const deleted = relation.boolean('IsDeleted');
  const active = relation.boolean('IsActive');
  if (deleted || !active) return { externalId: relation.id, modifiedAt, record: null };
  return {
    externalId: relation.id,
    modifiedAt,
    record: {
      externalId: relation.id,
      accountExternalId: relation.salesforceId('AccountId'),
      contactExternalId: relation.salesforceId('ContactId'),
      roles: relation.multiSelect('Roles', salesforceDescriptor.multiSelectSeparator),
      modifiedAt,
    },
  };
}
