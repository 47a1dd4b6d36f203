import { EntityManager } from 'typeorm';
import { CrmContactRoleRecord, CrmPage, CrmStream } from '@connectors/core/src';
import { CrmSyncRepository, SyncedTable, WriteCounts } from '@libs/db/src/repositories/crm-sync.repository';
import { roleFromLabels, RoleMapping } from '@libs/nps/src';

export const TABLE_OF_STREAM: Record<CrmStream, SyncedTable> = {
  owners: 'crm_owners',
  accounts: 'accounts',
  contacts: 'contacts',
  contact_roles: 'contact_roles',
};

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
  const repo = new CrmSyncRepository(db);
  let written: WriteCounts;
  switch (page.stream) {
    case 'owners':
      written = await repo.upsertOwners(connectionId, lastById((page as CrmPage<'owners'>).upserts));
      break;
    case 'accounts':
      written = await repo.upsertAccounts(connectionId, lastById((page as CrmPage<'accounts'>).upserts));
      break;
    case 'contacts':
      written = await repo.upsertContacts(connectionId, lastById((page as CrmPage<'contacts'>).upserts));
      break;
    case 'contact_roles':
      written = await repo.upsertContactRoles(connectionId, roleRows((page as CrmPage<'contact_roles'>).upserts, mapping));
      break;
  }
  const deletions = [...new Set(page.deletions)];
  let deleted = await repo.markDeleted(connectionId, TABLE_OF_STREAM[page.stream], deletions);
  if (page.roles) {
    const rows = roleRows(page.roles, mapping);
    const roles = await repo.upsertContactRoles(connectionId, rows);
    written = { created: written.created + roles.created, updated: written.updated + roles.updated };
    if (page.rolesReplaceFor) {
      deleted += await repo.deleteRolesNotIn(connectionId, page.rolesReplaceFor, rows.map((r) => r.externalId));
    }
  }
  return { read: page.upserts.length + deletions.length, ...written, deleted };
}
