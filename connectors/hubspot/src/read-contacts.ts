import { CrmContactRoleRecord, CrmPage } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { readAssociations } from './association-reads';
import { primaryCompanyId, rolesOfContact } from './map-association';
import { CONTACT_PROPERTIES, mapContact } from './map-contact';
import { listPages, searchPages } from './object-pages';
import { archivedPages, StreamRead } from './read-context';

/**
 * Contacts. Full reads list every contact with `associations=companies`, which names the
 * primary company at no extra call (roles for everyone came with the accounts pages).
 * Incremental reads search contacts modified since the cursor (`lastmodifieddate`, the property
 * HubSpot documents for contacts) and batch-read their contact→company associations (v4), which
 * give both the primary company and the labels; an association label change bumps the
 * contact's modification time, so changed roles arrive here. Archived contacts follow as
 * deletions.
 */
export async function* readContacts(read: StreamRead): AsyncGenerator<CrmPage<'contacts'>> {
  if (read.since === null) {
    for await (const page of listPages(read.api, 'contacts', { properties: CONTACT_PROPERTIES, associations: ['companies'] }, read.signal)) {
      const upserts = page.items.map((contact) => mapContact(contact));
      upserts.forEach((contact) => read.cursor.see(contact.modifiedAt));
      yield { stream: 'contacts', upserts, deletions: [], cursor: read.cursor.page };
    }
  } else {
    const pages = searchPages(read.api, 'contacts', hubspotDescriptor.contactModifiedProperty, read.since, CONTACT_PROPERTIES, read.signal);
    for await (const page of pages) {
      const ids = page.items.map((contact) => String(contact.id));
      const associations = ids.length > 0 ? await readAssociations(read.api, 'contacts', 'companies', ids, read.signal, read.log) : new Map();
      const roles: CrmContactRoleRecord[] = [];
      const upserts = page.items.map((hubspotContact) => {
        const associated = associations.get(String(hubspotContact.id)) ?? [];
        const contact = mapContact(hubspotContact, primaryCompanyId(associated));
        roles.push(...rolesOfContact(contact.externalId, associated, contact.modifiedAt));
        read.cursor.see(contact.modifiedAt);
        return contact;
      });
      yield {
        stream: 'contacts',
        upserts,
        deletions: [],
        cursor: read.cursor.page,
        ...(page.total !== undefined ? { total: page.total } : {}),
        roles,
        rolesReplaceFor: { contactExternalIds: ids },
      };
    }
  }
  yield* archivedPages('contacts', 'contacts', read);
}
