import { CrmPage } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { readAssociations } from './association-reads';
import { companyProperties, mapCompany } from './map-company';
import { rolesOfCompany } from './map-association';
import { listPages, searchPages } from './object-pages';
import { archivedPages, StreamRead } from './read-context';

/**
 * Companies → accounts, each page with the roles of its contacts: one v4 batch read of the
 * page's company→contact associations (labels included) per 100 companies. Full reads list
 * every company; incremental reads search those modified since the cursor. Archived companies
 * follow as deletions.
 */
export async function* readAccounts(read: StreamRead): AsyncGenerator<CrmPage<'accounts'>> {
  const mapping = read.settings.fieldMapping;
  const properties = companyProperties(mapping);
  const pages =
    read.since === null
      ? listPages(read.api, 'companies', { properties }, read.signal)
      : searchPages(read.api, 'companies', hubspotDescriptor.companyModifiedProperty, read.since, properties, read.signal);

  for await (const page of pages) {
    const upserts = page.items.map((company) => mapCompany(company, mapping));
    upserts.forEach((account) => read.cursor.see(account.modifiedAt));
    const ids = upserts.map((account) => account.externalId);
    const associations = ids.length > 0 ? await readAssociations(read.api, 'companies', 'contacts', ids, read.signal, read.log) : new Map();
    const roles = upserts.flatMap((account) => rolesOfCompany(account.externalId, associations.get(account.externalId) ?? [], account.modifiedAt));
    yield {
      stream: 'accounts',
      upserts,
      deletions: [],
      cursor: read.cursor.page,
      ...(page.total !== undefined ? { total: page.total } : {}),
      roles,
      rolesReplaceFor: { accountExternalIds: ids },
    };
  }
  yield* archivedPages('accounts', 'companies', read);
}
