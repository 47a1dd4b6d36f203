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

  // Page N+1 and its associations are read while page N is written: the two calls per page
  // would otherwise wait on our own database writes. At most one page ahead; an error of the
  // page read ahead surfaces when its turn comes.
  const iterator = pages[Symbol.asyncIterator]();
  const prepare = async (): Promise<CrmPage<'accounts'> | undefined> => {
    const next = await iterator.next();
    if (next.done) return undefined;
    const page = next.value;
    const upserts = page.items.map((company) => mapCompany(company, mapping));
    upserts.forEach((account) => read.cursor.see(account.modifiedAt));
    const cursor = read.cursor.page; // this page's own cursor, before the next page is seen
    const ids = upserts.map((account) => account.externalId);
    const associations = ids.length > 0 ? await readAssociations(read.api, 'companies', 'contacts', ids, read.signal, read.log) : new Map();
    const roles = upserts.flatMap((account) => rolesOfCompany(account.externalId, associations.get(account.externalId) ?? [], account.modifiedAt));
    return {
      stream: 'accounts',
      upserts,
      deletions: [],
      cursor,
      ...(page.total !== undefined ? { total: page.total } : {}),
      roles,
      rolesReplaceFor: { accountExternalIds: ids },
    };
  };
  let ahead = prepare();
  try {
    for (;;) {
      const page = await ahead;
      if (!page) break;
      ahead = prepare();
      ahead.catch(() => undefined); // awaited at its turn; not an unhandled rejection if the reader stops first
      yield page;
    }
  } finally {
    // A reader that stops early (a budget stop, an abort) closes the listing too; queued behind the page read ahead.
    void iterator.return?.(undefined).catch(() => undefined);
  }
  yield* archivedPages('accounts', 'companies', read);
}
