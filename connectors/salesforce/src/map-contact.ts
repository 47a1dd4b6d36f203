import { CrmContactRecord } from '@connectors/core/src';
import { MappedRow } from './mapped-row';
import { FieldReader, SalesforceRecord } from './salesforce-values';

export const CONTACT_FIELDS = ['Id', 'AccountId', 'Email', 'FirstName', 'LastName', 'SystemModstamp', 'IsDeleted'] as const;

/** A Contact; a soft-deleted one (queryAll) becomes a deletion. */
export function mapContact(raw: SalesforceRecord): MappedRow<CrmContactRecord> {
  const contact = new FieldReader('Contact', raw);
  const modifiedAt = contact.instant('SystemModstamp');
  if (contact.boolean('IsDeleted')) return { externalId: contact.id, modifiedAt, record: null };
  return {
    externalId: contact.id,
    modifiedAt,
    record: {
      externalId: contact.id,
      accountExternalId: contact.optionalId('AccountId'),
      email: contact.optionalString('Email')?.trim() || null,
      firstName: contact.optionalString('FirstName'),
      lastName: contact.optionalString('LastName'),
      modifiedAt,
    },
  };
}
