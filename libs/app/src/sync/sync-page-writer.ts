import { EntityManager } from 'typeorm';
import { CrmContactRoleRecord, CrmPage, CrmStream } from '@connectors/core/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ContactRolesRepository } from '@libs/db/src/repositories/contact-roles.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { CrmOwnersRepository } from '@libs/db/src/repositories/crm-owners.repository';
import { SyncedRecords, WriteCounts } from '@libs/db/src/synced-records';
import { roleFromLabels, RoleMapping } from '@libs/nps/src';
import { matchImportedHistory } from '../import/imported-history-matching';

/** The repository of the table a stream's records are written to. */
export function recordsOfStream(db: EntityManager, stream: CrmStream): SyncedRecords {
  switch (stream) {
    case 'owners':
      return new CrmOwnersRepository(db);
    case 'accounts':
      return new AccountsRepository(db);
    case 'contacts':
      return new ContactsRepository(db);
    case 'contact_roles':
      return new ContactRolesRepository(db);
  }
}

/**
 * Links rows that arrived before what they reference (a contact before its account, a role
 * before its contact), drops relations that lost an end and sets each contact's role from its
 * relation with its primary account. Run at the end of a complete sync.
 */
export async function resolveReferences(db: EntityManager, connectionId: string): Promise<void> {
  const contacts = new ContactsRepository(db);
  const roles = new ContactRolesRepository(db);
  await contacts.linkAccounts(connectionId);
  await roles.linkAccountsAndContacts(connectionId);
  await roles.deleteWithoutBothEnds(connectionId);
  await contacts.takeRolesFromPrimaryAccount(connectionId);
  // rules §10: opt-outs reach contacts that appeared since; imported answers find their contacts.
  await matchImportedHistory(db, connectionId, new Date());
}

/**
 * Pages a sync reads ahead of the one it writes: the reading spends the vendor budget while the
 * database works, and the pages in hand keep it spending through the odd slow write. Two, not
 * three: with a third the single-process HubSpot sync of 20,000 accounts peaked at 298-301 MB RSS
 * (bench:sync, target < 300).
 */
export const PAGES_AHEAD = 2;

export interface PageCounts extends WriteCounts {
  read: number;
  deleted: number;
}

/** A page may repeat a record (inclusive cursors, search windows): the last copy wins. */
function lastById<T extends { externalId: string }>(records: T[]): T[] {
  const byId = new Map<string, T>();
  for (const record of records) byId.set(record.externalId, record);
  return byId.size === records.length ? records : [...byId.values()];
}

function roleRows(records: CrmContactRoleRecord[], mapping: RoleMapping) {
  return lastById(records).map((r) => ({ ...r, role: roleFromLabels(r.roles, mapping) }));
}

/** Applies one page (upserts, deletions, roles read alongside) on the caller's transaction. */
export async function writePage(db: EntityManager, connectionId: string, page: CrmPage, mapping: RoleMapping): Promise<PageCounts> {
  const roleRelations = new ContactRolesRepository(db);
  let written: WriteCounts;
  switch (page.stream) {
    case 'owners':
      written = await new CrmOwnersRepository(db).upsertPage(connectionId, lastById((page as CrmPage<'owners'>).upserts));
      break;
    case 'accounts':
      written = await new AccountsRepository(db).upsertPage(connectionId, lastById((page as CrmPage<'accounts'>).upserts));
      break;
    case 'contacts':
      written = await new ContactsRepository(db).upsertPage(connectionId, lastById((page as CrmPage<'contacts'>).upserts));
      break;
    case 'contact_roles':
      written = await roleRelations.upsertPage(connectionId, roleRows((page as CrmPage<'contact_roles'>).upserts, mapping));
      break;
  }
  const deletions = [...new Set(page.deletions)];
  let deleted = await recordsOfStream(db, page.stream).markDeleted(connectionId, deletions);
  if (page.roles) {
    const rows = roleRows(page.roles, mapping);
    const roles = await roleRelations.upsertPage(connectionId, rows);
    written = { created: written.created + roles.created, updated: written.updated + roles.updated };
    if (page.rolesReplaceFor) {
      deleted += await roleRelations.deleteNotIn(
        connectionId,
        page.rolesReplaceFor,
        rows.map((r) => r.externalId),
      );
    }
  }
  return { read: page.upserts.length + deletions.length, ...written, deleted };
}
