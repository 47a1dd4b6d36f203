import type { AttentionRow, WriteBackList, WriteBackPage } from '@libs/app/src/outbox/write-backs.service';
import { Badge, Column, DataTable, DateTime, Pager, PostForm } from '../components';
import { formatCount } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { OPERATIONS_SECTION } from '../console-nav';

export const WRITE_BACKS_URL = '/console/operations/write-backs';

const OPERATIONS: Record<string, string> = {
  'crm.create_task': 'CRM task',
  'crm.update_record': 'CRM field update',
  'helpdesk.write_back': 'Ticket score, tag and note',
  'helpdesk.create_ticket': 'Task ticket',
  'alert.email': 'Alert email',
  'alert.webhook': 'Alert webhook post',
};

export const operationName = (operation: string) => OPERATIONS[operation] ?? operation;

/** What the write is about, in a few words, from its payload. */
function target(row: AttentionRow): string {
  const p = row.payload as Record<string, unknown>;
  const task = p.task as { subject?: string } | undefined;
  const ticket = p.ticket as { subject?: string } | undefined;
  if (row.operation === 'crm.create_task' && task?.subject) return task.subject;
  if (row.operation === 'crm.update_record') {
    const fields = Object.keys((p.fields as Record<string, unknown>) ?? {});
    return `${String(p.object)} ${String(p.externalId)}: ${fields.join(', ')}`;
  }
  if (row.operation === 'helpdesk.write_back') return `ticket ${String(p.ticketId)}`;
  if (row.operation === 'helpdesk.create_ticket' && ticket?.subject) return ticket.subject;
  if (row.alertId) return `alert ${row.alertId}`;
  return '';
}

const LISTS: Record<WriteBackList, { label: string; caption: string; empty: string }> = {
  refused: {
    label: 'Refused by the vendor',
    caption: 'Writes the vendor refused, newest first, with its words',
    empty: 'No write-backs were refused. When a vendor refuses one (a missing field, an inactive owner), it shows here with the vendor’s words.',
  },
  waiting: {
    label: 'Waiting to go out',
    caption: 'Writes waiting to be delivered or retried, newest first',
    empty: 'Nothing is waiting: every write-back has been delivered.',
  },
};

function Actions({ row, list }: { row: AttentionRow; list: WriteBackList }) {
  if (row.status === 'delivering') return <span class="muted">Being delivered now</span>;
  return (
    <div class="actions">
      <PostForm action={`${WRITE_BACKS_URL}/${row.id}/retry`} class="inline">
        <input type="hidden" name="show" value={list} />
        <button type="submit" aria-label={`${list === 'refused' ? 'Send again' : 'Send now'}: write-back ${row.id}`}>
          {list === 'refused' ? 'Send again' : 'Send now'}
        </button>
      </PostForm>
      <PostForm action={`${WRITE_BACKS_URL}/${row.id}/dismiss`} class="inline">
        <input type="hidden" name="show" value={list} />
        <button type="submit" class="secondary" aria-label={`Dismiss: write-back ${row.id}`}>
          Dismiss
        </button>
      </PostForm>
    </div>
  );
}

export function writeBacksPage(ctx: PageContext, list: WriteBackList, page: WriteBackPage, firstPage: boolean): string {
  const columns: Column<AttentionRow>[] = [
    { header: 'Write', cell: (r) => <>{`#${r.id} ${operationName(r.operation)}`}</> },
    { header: 'Connection', cell: (r) => r.connection ?? (r.alertId ? 'Alerts' : '—') },
    { header: 'About', cell: (r) => target(r) || <span class="muted">—</span> },
    {
      header: list === 'refused' ? 'The vendor said' : 'Last attempt',
      cell: (r) => (r.lastError ? <span class="vendor-words">{r.lastError}</span> : <span class="muted">Not tried yet</span>),
    },
    { header: 'Attempts', cell: (r) => formatCount(r.attempts), numeric: true },
    { header: 'Queued', cell: (r) => <DateTime at={r.createdAt} /> },
    ...(list === 'waiting'
      ? [{ header: 'Next attempt', cell: (r: AttentionRow) => (r.status === 'delivering' ? <Badge tone="waiting">delivering</Badge> : <DateTime at={r.nextAttemptAt} />) }]
      : []),
    { header: 'Actions', cell: (r) => <Actions row={r} list={list} /> },
  ];
  const meta = LISTS[list];
  return renderPage(ctx, {
    title: 'Write-backs',
    section: OPERATIONS_SECTION,
    children: (
      <>
        <p>
          Every change nps-bridge makes in a vendor (tasks, NPS fields, ticket notes, alert deliveries) goes through a queue. Writes the vendor refused are kept with its words and
          not retried: fix the cause in the vendor (create the field, reactivate the owner), then send them again. Dismiss a write to give up on it.
        </p>
        <nav class="section-nav" aria-label="Which write-backs">
          <ul>
            {(Object.keys(LISTS) as WriteBackList[]).map((key) => (
              <li key={key}>
                <a href={`${WRITE_BACKS_URL}?show=${key}`} aria-current={key === list ? 'page' : undefined}>
                  {LISTS[key].label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <DataTable caption={meta.caption} columns={columns} rows={page.rows} rowKey={(r) => r.id} empty={<p>{meta.empty}</p>} />
        <Pager
          label="Write-back pages"
          first={firstPage ? undefined : `${WRITE_BACKS_URL}?show=${list}`}
          older={page.older ? `${WRITE_BACKS_URL}?show=${list}&before=${page.older}` : undefined}
        />
      </>
    ),
  });
}
