import { DataSource } from 'typeorm';
import { ArrHistoryScope, CrmConnector, readAhead } from '@connectors/core/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ArrSnapshotsRepository } from '@libs/db/src/repositories/arr-snapshots.repository';
import { PAGES_AHEAD } from './sync-page-writer';

/** Accounts whose history one incremental step reads (HubSpot: 40 batch reads; Salesforce: ~5 queries). */
const ARR_HISTORY_STEP = 2000;

export interface ArrHistoryRun {
  connectionId: string;
  /** The accounts stream was just read in full: read every account's history in one pass. */
  full: boolean;
  signal?: AbortSignal;
  /** Called between pages: throws to stop the run (budget spent, worker stopping). */
  between: () => void;
}

/**
 * After the accounts stream: the CRM's own ARR history (rules §7) for the accounts this
 * sync read, stored as 'crm' snapshots. Accounts stay marked arr_history_due until their points
 * are committed, so a run stopped here finishes the job next time (by ids). A CRM without field
 * history leaves our own snapshots as the only ARR trend. Returns the points newly stored.
 */
export async function syncArrHistory(dataSource: DataSource, connector: CrmConnector, run: ArrHistoryRun): Promise<number> {
  const read = connector.readArrHistory?.bind(connector);
  const accounts = new AccountsRepository(dataSource.manager);
  const snapshots = new ArrSnapshotsRepository(dataSource.manager);
  if (!read) {
    await accounts.markAllArrHistoryRead(run.connectionId);
    return 0;
  }
  let stored = 0;
  const store = async (scope: ArrHistoryScope) => {
    // The next pages of history are read while this one is stored.
    for await (const points of readAhead((reading) => read(scope, reading), run.signal, { depth: PAGES_AHEAD })) {
      stored += await snapshots.storeCrmHistory(run.connectionId, points);
      run.between();
    }
  };
  if (run.full) {
    await store('all');
    await accounts.markAllArrHistoryRead(run.connectionId);
    return stored;
  }
  for (;;) {
    const ids = await accounts.dueForArrHistory(run.connectionId, ARR_HISTORY_STEP);
    if (ids.length === 0) return stored;
    await store(ids);
    await accounts.markArrHistoryRead(run.connectionId, ids);
  }
}
