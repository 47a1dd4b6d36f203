import type { WebhookDeliveryListRow, WebhookDeliveryPage } from '@libs/app/src/webhooks/webhook-deliveries.service';
import { Badge, Column, DataTable, DateTime, Pager } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { OPERATIONS_SECTION } from '../console-nav';

export const WEBHOOK_DELIVERIES_URL = '/console/operations/webhook-deliveries';

/** What each outcome means, in a person's words. */
const OUTCOMES: Record<string, string> = {
  survey_scheduled: 'survey scheduled',
  survey_skipped: 'no survey: the rules skipped it',
  survey_rescheduled: 'survey moved to the new solve time',
  ticket_already_surveyed: 'no survey: this ticket already has one',
  own_ticket: 'no survey: a ticket nps-bridge made',
  ticket_reopened: 'pending survey cancelled: ticket reopened',
  ticket_not_solved: 'no survey: the ticket is not solved',
  ticket_not_found: 'no survey: the helpdesk no longer has the ticket',
  connection_deleted: 'no survey: the connection was removed',
  failed: 'failed',
};

function Outcome({ row }: { row: WebhookDeliveryListRow }) {
  if (!row.processedAt) return <Badge tone="waiting">{row.error ? 'waiting to retry' : 'waiting'}</Badge>;
  const tone = row.outcome === 'survey_scheduled' || row.outcome === 'survey_rescheduled' ? 'good' : row.outcome === 'failed' ? 'bad' : 'neutral';
  return <Badge tone={tone}>{OUTCOMES[row.outcome ?? ''] ?? row.outcome ?? 'processed'}</Badge>;
}

export function webhookDeliveriesPage(ctx: PageContext, page: WebhookDeliveryPage, firstPage: boolean): string {
  const columns: Column<WebhookDeliveryListRow>[] = [
    { header: 'Received', cell: (r) => <DateTime at={r.receivedAt} /> },
    { header: 'Connection', cell: (r) => r.connection ?? <span class="muted">removed</span> },
    { header: 'Event', cell: (r) => r.eventType ?? <span class="muted">—</span> },
    { header: 'Delivery id', cell: (r) => <code>{r.deliveryId}</code> },
    { header: 'What it became', cell: (r) => <Outcome row={r} /> },
    { header: 'Processed', cell: (r) => <DateTime at={r.processedAt} /> },
    { header: 'Why', cell: (r) => (r.error ? <span class="vendor-words">{r.error}</span> : <span class="muted">—</span>) },
  ];
  return renderPage(ctx, {
    title: 'Webhook deliveries',
    section: OPERATIONS_SECTION,
    children: (
      <>
        <p>Signed calls from the helpdesk when a ticket is solved, each recorded once, then turned into a survey (or not, and why). Newest first.</p>
        <DataTable
          caption="Helpdesk webhook deliveries, newest first"
          columns={columns}
          rows={page.rows}
          rowKey={(r) => r.id}
          empty={<p>No webhook has arrived yet. They come once a helpdesk connection is set up and a ticket is solved.</p>}
        />
        <Pager
          label="Webhook delivery pages"
          first={firstPage ? undefined : WEBHOOK_DELIVERIES_URL}
          older={page.older ? `${WEBHOOK_DELIVERIES_URL}?before=${page.older}` : undefined}
        />
      </>
    ),
  });
}
