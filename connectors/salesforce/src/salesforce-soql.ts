import { CrmStream, VendorError } from '@connectors/core/src';
import { accountSelectList } from './map-account';
import { CONTACT_ROLE_FIELDS } from './map-contact-role';
import { CONTACT_FIELDS } from './map-contact';
import { OWNER_FIELDS } from './map-owner';
import { SalesforceFieldMapping, SOQL_FIELD_NAME } from './salesforce-settings';

/** The Salesforce object behind each stream. */
const STREAM_OBJECT: Record<CrmStream, string> = {
  owners: 'User',
  accounts: 'Account',
  contacts: 'Contact',
  contact_roles: 'AccountContactRelation',
};

export interface StreamQuery {
  /** query for a full read; queryAll for an incremental one, so soft-deleted rows come back too. */
  resource: 'query' | 'queryAll';
  soql: string;
}

/** A SOQL datetime literal: unquoted ISO 8601 in UTC (2026-11-23T10:00:00.000Z). */
export function soqlDateTime(iso: string): string {
  const at = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(at)) {
    throw new VendorError('salesforce', 'invalid', `cursor ${JSON.stringify(iso)} is not an ISO 8601 datetime`, { code: 'BAD_CURSOR' });
  }
  return new Date(at).toISOString();
}

function selectList(stream: CrmStream, mapping: SalesforceFieldMapping): string[] {
  switch (stream) {
    case 'owners':
      return [...OWNER_FIELDS];
    case 'accounts':
      return accountSelectList(mapping);
    case 'contacts':
      return [...CONTACT_FIELDS];
    case 'contact_roles':
      return [...CONTACT_ROLE_FIELDS];
  }
}

/**
 * The one SOQL statement that reads a stream. Both reads sort on (SystemModstamp, Id) so every
 * page's cursor (the highest SystemModstamp so far) is a safe place to resume: everything before
 * it has been read. The incremental filter is inclusive (>=) because several rows can share one
 * SystemModstamp; re-reading the boundary rows is harmless (upserts).
 */
export function streamQuery(stream: CrmStream, mapping: SalesforceFieldMapping, since: string | null): StreamQuery {
  const fields = selectList(stream, mapping);
  for (const field of fields) {
    if (!field.startsWith('(') && !SOQL_FIELD_NAME.test(field)) {
      throw new VendorError('salesforce', 'invalid', `field mapping ${JSON.stringify(field)} is not a field API name`, { code: 'BAD_MAPPING' });
    }
  }
  const where = since === null ? '' : ` WHERE SystemModstamp >= ${soqlDateTime(since)}`;
  return {
    resource: since === null ? 'query' : 'queryAll',
    soql: `SELECT ${fields.join(', ')} FROM ${STREAM_OBJECT[stream]}${where} ORDER BY SystemModstamp ASC, Id ASC`,
  };
}
