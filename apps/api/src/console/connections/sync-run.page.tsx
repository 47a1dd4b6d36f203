import type { ConnectionDto, SyncRunDto } from '@libs/app/src/connections/connection.dto';
import { Column, DataTable, DateTime } from '../components';
import { formatCount, formatDuration } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { connectionUrl, humanize, RunStatus, runIsActive, runProgress, syncRunUrl } from './connection-parts';

/** How often a running sync's page reloads itself (an HTTP Refresh header: no script). */
export const SYNC_REFRESH_SECONDS = 2;

interface StreamRow {
  stream: string;
  read?: number;
  created: number;
  updated?: number;
  deleted?: number;
  total?: number | null;
}

const count = (n: number | null | undefined) => (n === null || n === undefined ? <span class="muted">—</span> : formatCount(n));

/**
 * One sync run as it goes: its state, records read out of the total the vendor announced, counts
 * per stream, API calls, and why it stopped. While it is queued or running the page reloads
 * itself every few seconds, which the person can stop (`live` false).
 */
export function syncRunPage(ctx: PageContext, connection: ConnectionDto, vendor: string, run: SyncRunDto, live: boolean): string {
  const active = runIsActive(run);
  const url = syncRunUrl(connection.id, run.id);
  const streams: StreamRow[] = Object.entries(run.streams ?? {}).map(([stream, stats]) => ({ stream, ...(stats as Omit<StreamRow, 'stream'>) }));
  const columns: Column<StreamRow>[] = [
    { header: 'Records', cell: (r) => humanize(r.stream) },
    { header: 'Read', cell: (r) => count(r.read), numeric: true },
    { header: 'Created', cell: (r) => count(r.created), numeric: true },
    { header: 'Updated', cell: (r) => count(r.updated), numeric: true },
    { header: 'Deleted', cell: (r) => count(r.deleted), numeric: true },
    { header: 'Announced', cell: (r) => count(r.total), numeric: true },
  ];
  return renderPage(ctx, {
    title: `Sync of ${connection.name}`,
    children: (
      <>
        <p role="status" aria-live="polite">
          <RunStatus status={run.status} /> {runProgress(run)}
          {run.status === 'queued' ? ', waiting for a worker to take it' : ''}
        </p>
        {run.percent !== null ? (
          <p>
            <progress max={100} value={run.percent} aria-label="Records read, in percent">{`${run.percent} %`}</progress>
          </p>
        ) : null}
        {active ? (
          live ? (
            <p>
              {`This page reloads every ${SYNC_REFRESH_SECONDS} seconds until the sync ends. `}
              <a href={`${url}?live=0`}>Stop reloading</a>
            </p>
          ) : (
            <p>
              <a href={`${url}?live=0`}>Reload</a> or <a href={url}>reload automatically</a>
            </p>
          )
        ) : null}
        {run.error ? (
          <>
            <h2>{run.status === 'succeeded' ? 'Note' : 'Why it stopped'}</h2>
            <p class="vendor-words">{run.error}</p>
          </>
        ) : null}
        <dl class="facts">
          <dt>Vendor</dt>
          <dd>{vendor}</dd>
          <dt>Run</dt>
          <dd>{`${run.mode === 'full' ? 'Full read' : 'Changes only'}, ${run.trigger === 'manual' ? 'asked for' : 'scheduled'}`}</dd>
          <dt>Started</dt>
          <dd>
            <DateTime at={run.startedAt} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <DateTime at={run.finishedAt} />
          </dd>
          <dt>Took</dt>
          <dd>{run.durationMs === null ? <span class="muted">—</span> : formatDuration(run.durationMs)}</dd>
          <dt>Created / updated / deleted</dt>
          <dd>{`${formatCount(run.recordsCreated)} / ${formatCount(run.recordsUpdated)} / ${formatCount(run.recordsDeleted)}`}</dd>
          <dt>API calls</dt>
          <dd>{formatCount(run.apiCalls)}</dd>
        </dl>
        <DataTable caption="What each stream read and stored" columns={columns} rows={streams} rowKey={(r) => r.stream} empty={<p>Nothing read yet.</p>} />
        <p>
          <a href={connectionUrl(connection.id)}>{`Back to ${connection.name}`}</a>
        </p>
      </>
    ),
  });
}
