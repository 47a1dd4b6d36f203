import { OPERATIONS_NAV, OPERATIONS_SECTION } from '../console-nav';
import { Column, DataTable } from '../components';
import { formatCount } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { operationName } from './write-backs.page';

interface SummaryRow {
  connectionId: string;
  connection: string;
  operation: string;
  status: string;
  count: number;
}

const ABOUT: Record<string, string> = {
  '/console/operations/write-backs': 'Writes to the vendors that are waiting or were refused, with the vendor’s words; send again or dismiss.',
  '/console/operations/sync-runs': 'Every CRM sync: what it read and wrote, API calls spent, and why one failed.',
  '/console/operations/webhook-deliveries': 'Solved-ticket webhooks received from the helpdesk and what each became.',
  '/console/operations/admin-keys': 'Keys for the admin API: create one (shown once) or revoke it.',
  '/console/operations/users': 'Who can sign in to this console, and as what.',
};

const STATUS_NAMES: Record<string, string> = {
  pending: 'waiting',
  delivering: 'being delivered',
  delivered: 'delivered',
  failed: 'refused',
  cancelled: 'cancelled',
  merged: 'merged into a newer update',
  dismissed: 'dismissed',
};

export function operationsPage(ctx: PageContext, summary: SummaryRow[]): string {
  const columns: Column<SummaryRow>[] = [
    { header: 'Connection', cell: (r) => r.connection },
    { header: 'Write', cell: (r) => operationName(r.operation) },
    { header: 'State', cell: (r) => STATUS_NAMES[r.status] ?? r.status },
    { header: 'Count', cell: (r) => formatCount(r.count), numeric: true },
  ];
  return renderPage(ctx, {
    title: 'Operations',
    section: OPERATIONS_SECTION,
    children: (
      <>
        <ul class="link-list">
          {OPERATIONS_NAV.map((item) => (
            <li key={item.href}>
              <a href={item.href}>{item.label}</a>: {ABOUT[item.href] ?? ''}
            </li>
          ))}
        </ul>
        <h2>Write-backs by connection</h2>
        <DataTable
          caption="Vendor writes per connection and state"
          columns={columns}
          rows={summary}
          rowKey={(r) => `${r.connectionId}:${r.operation}:${r.status}`}
          empty={<p>No writes to any vendor yet. They start once responses come in and follow-ups are planned.</p>}
        />
      </>
    ),
  });
}
