import { CrmAccountRecord } from '@connectors/core/src';
import { MappedRow } from './mapped-row';
import { SalesforceFieldMapping } from './salesforce-settings';
import { FieldReader, mappingError, SalesforceRecord } from './salesforce-values';

export const ACCOUNT_FIELDS = ['Id', 'Name', 'OwnerId', 'SystemModstamp', 'IsDeleted'] as const;

/** The child relationship Account → Contract, and the subquery that finds the renewal date. */
const CONTRACTS_RELATIONSHIP = 'Contracts';
const LATEST_ACTIVE_CONTRACT_SUBQUERY = "(SELECT EndDate FROM Contracts WHERE Status = 'Activated' ORDER BY EndDate DESC LIMIT 1)";

/** Every Account field a read selects under this mapping, without duplicates, in a stable order. */
export function accountSelectList(mapping: SalesforceFieldMapping): string[] {
  const mapped = [mapping.arr, mapping.arrCurrency, mapping.tier, mapping.customerSince, mapping.usage];
  if (mapping.renewalDate.source === 'field' && mapping.renewalDate.field) mapped.push(mapping.renewalDate.field);
  const seen = new Set<string>();
  const fields: string[] = [];
  for (const field of [...ACCOUNT_FIELDS, ...mapped]) {
    if (field === null || field === undefined || seen.has(field.toLowerCase())) continue;
    seen.add(field.toLowerCase());
    fields.push(field);
  }
  if (mapping.renewalDate.source === 'contract') fields.push(LATEST_ACTIVE_CONTRACT_SUBQUERY);
  return fields;
}

/** EndDate of the one Contract the subquery returned, or null when the account has none. */
function latestContractEnd(raw: SalesforceRecord, accountId: string): string | null {
  const child = raw[CONTRACTS_RELATIONSHIP];
  if (child === null) return null;
  const records = (child as { records?: unknown } | undefined)?.records;
  if (!Array.isArray(records)) throw mappingError('Account', accountId, CONTRACTS_RELATIONSHIP, 'is not a subquery result', child);
  if (records.length === 0) return null;
  return new FieldReader('Contract', { Id: accountId, ...(records[0] as SalesforceRecord) }).optionalDate('EndDate');
}

/**
 * An Account under the connection's field mapping. ARR keeps exactly 2 decimals as a string;
 * dates are YYYY-MM-DD; a soft-deleted account (queryAll) becomes a deletion.
 */
export function mapAccount(raw: SalesforceRecord, mapping: SalesforceFieldMapping): MappedRow<CrmAccountRecord> {
  const account = new FieldReader('Account', raw);
  const modifiedAt = account.instant('SystemModstamp');
  if (account.boolean('IsDeleted')) return { externalId: account.id, modifiedAt, record: null };
  const renewal = mapping.renewalDate;
  return {
    externalId: account.id,
    modifiedAt,
    record: {
      externalId: account.id,
      name: account.requiredString('Name'),
      arr: account.optionalDecimal(mapping.arr, 2),
      arrCurrency: mapping.arrCurrency ? account.optionalCurrencyCode(mapping.arrCurrency) : null,
      renewalDate: renewal.source === 'contract' ? latestContractEnd(raw, account.id) : account.optionalDate(renewal.field as string),
      tier: mapping.tier ? account.optionalString(mapping.tier) : null,
      customerSince: mapping.customerSince ? account.optionalDate(mapping.customerSince) : null,
      ownerExternalId: account.optionalId('OwnerId'),
      usageScore: mapping.usage ? account.optionalDecimal(mapping.usage) : null,
      modifiedAt,
    },
  };
}
