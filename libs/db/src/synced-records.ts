/** What a set-based sync write did to a page of records. */
export interface WriteCounts {
  created: number;
  updated: number;
}

/**
 * Reads the `(inserted, changed)` rows an upsert returns. "Changed" compares the row as it was
 * before the statement (CTEs share one snapshot), so re-reading a record that did not change
 * counts as neither created nor updated.
 */
export function writeCounts(rows: Array<{ inserted: boolean; changed: boolean }>): WriteCounts {
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    if (row.inserted) created++;
    else if (row.changed) updated++;
  }
  return { created, updated };
}

/** One column of the page, as the array an `unnest($n::type[])` takes. */
export const column = <T, K extends keyof T>(rows: T[], key: K): Array<T[K]> => rows.map((r) => r[key]);

/** The soft deletes every table a CRM sync writes (crm_owners, accounts, contacts, contact_roles) has. */
export interface SyncedRecords {
  /** The vendor reported these records deleted. */
  markDeleted(connectionId: string, externalIds: string[]): Promise<number>;
  /** After a complete full read: whatever was not seen since it began no longer exists. */
  sweepUnseen(connectionId: string, since: Date): Promise<number>;
}
