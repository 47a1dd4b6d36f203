import type { SyncRunListRow, SyncRunPage } from '@libs/app/src/sync/sync-runs.service';
import { Badge, Column, DataTable, DateTime, Pager } from '../components';
import { formatCount, formatDuration, formatPercent } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { OPERATIONS_SECTION } from '../console-nav';

export const SYNC_RUNS_URL = '/console/operations/sync-runs';

const TONES: Record<string, 'good' | 'bad' | 'waiting' | 'neutral'> = {
  succeeded: 'good',
  failed: 'bad',
  running: 'waiting',
  queued: 'waiting',
  paused: 'waiting',
  interrupted: 'neutral',
};

function Progress({ run }: { run: SyncRunListRow }) {
  const read = formatCount(run.recordsRead);
  if (run.status === 'running' && run.recordsTotal) {
    return <>{`${read} of ${formatCount(run.recordsTotal)} read (${formatPercent(Math.min(1, run.recordsRead / run.recordsTotal))})`}</>;
  }
  return <>{`${read} read`}</>;
}

export function syncRunsPage(ctx: PageContext, page: SyncRunPage, firstPage: boolean): string {
  const columns: Column<SyncRunListRow>[] = [
    { header: 'Started', cell: (r) => <DateTime at={r.startedAt ?? r.createdAt} /> },
    { header: 'Connection', cell: (r) => `${r.connection} (${r.kind})` },
    { header: 'Run', cell: (r) => `${r.mode === 'full' ? 'Full' : 'Changes only'}, ${r.trigger === 'manual' ? 'asked for' : 'scheduled'}` },
    { header: 'State', cell: (r) => <Badge tone={TONES[r.status] ?? 'neutral'}>{r.status}</Badge> },
    { header: 'Records', cell: (r) => <Progress run={r} /> },
    { header: 'Created / updated / deleted', cell: (r) => `${formatCount(r.recordsCreated)} / ${formatCount(r.recordsUpdated)} / ${formatCount(r.recordsDeleted)}` },
    { header: 'API calls', cell: (r) => formatCount(r.apiCalls), numeric: true },
    { header: 'Took', cell: (r) => (r.durationMs === null ? <span class="muted">—</span> : formatDuration(r.durationMs)) },
    { header: 'Why it stopped', cell: (r) => (r.error ? <span class="vendor-words">{r.error}</span> : <span class="muted">—</span>) },
  ];
  return renderPage(ctx, {
    title: 'Sync runs',
    section: OPERATIONS_SECTION,
    children: (
      <>
        <p>Each read of a CRM: scheduled ones every few minutes (changes only), full reads when asked for or needed. Newest first.</p>
        <DataTable
          caption="CRM sync runs, newest first"
          columns={columns}
          rows={page.rows}
          rowKey={(r) => r.id}
          empty={<p>No sync has run yet. A CRM connection is synced right after it is made, then on a schedule.</p>}
        />
        <Pager label="Sync run pages" first={firstPage ? undefined : SYNC_RUNS_URL} older={page.older ? `${SYNC_RUNS_URL}?before=${encodeURIComponent(page.older)}` : undefined} />
      </>
    ),
  });
}
