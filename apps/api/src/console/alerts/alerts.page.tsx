import type { AlertRow, AlertState } from '@libs/db/src/repositories/alerts.repository';
import { Badge, Column, DataTable, DateTime, PostForm } from '../components';
import { streamName } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';

export const ALERTS_URL = '/console/alerts';
/** How many alerts the page lists, newest first. */
export const ALERTS_SHOWN = 200;

const KIND_NAMES: Record<string, string> = {
  significant_drop: 'Significant drop',
  declining_quarters: 'Declining quarters',
  detractor_loop_closure: 'Detractor loop closure',
  role_gap: 'Role gap',
  emerging_theme: 'Emerging theme',
  revenue_coverage: 'Revenue coverage',
};
const CHANNELS: Record<string, string> = { email: 'Email', webhook: 'Webhook' };
const DELIVERY_WORDS: Record<string, string> = { pending: 'waiting', delivering: 'being sent', delivered: 'delivered', failed: 'refused' };

const FILTERS: ReadonlyArray<{ state: AlertState | null; label: string; caption: string; empty: string }> = [
  {
    state: null,
    label: 'All',
    caption: 'Alerts, newest first',
    empty: 'No alert has been raised. Alerts come from the rules of the program: drops, role gaps, themes, loop closure, coverage.',
  },
  { state: 'new', label: 'New', caption: 'New alerts, newest first', empty: 'No new alerts: every alert has been acknowledged.' },
  { state: 'acknowledged', label: 'Acknowledged', caption: 'Acknowledged alerts, newest first', empty: 'No alert has been acknowledged yet.' },
];

export const alertsUrl = (state: AlertState | null) => (state ? `${ALERTS_URL}?state=${state}` : ALERTS_URL);

function Deliveries({ alert }: { alert: AlertRow }) {
  const channels = Object.entries(alert.deliveries ?? {});
  if (!channels.length) return <span class="muted">none configured</span>;
  return (
    <ul class="plain-list">
      {channels.map(([channel, delivery]) => (
        <li key={channel}>
          {`${CHANNELS[channel] ?? channel}: ${DELIVERY_WORDS[delivery.status] ?? delivery.status}`}
          {delivery.lastError && delivery.status !== 'delivered' ? <span class="vendor-words">{` ${delivery.lastError}`}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * /console/alerts: the alerts the program raised (rules §9, AlertsService as GET /api/alerts), each
 * with its state, filtered by state in the URL; admins acknowledge a new one (POST with its CSRF token).
 */
export function alertsPage(ctx: PageContext, state: AlertState | null, alerts: AlertRow[]): string {
  const admin = ctx.user?.role === 'admin';
  const filter = FILTERS.find((f) => f.state === state)!;
  const columns: Column<AlertRow>[] = [
    { header: 'Raised', cell: (a) => <DateTime at={a.raisedAt} /> },
    { header: 'Alert', cell: (a) => `${KIND_NAMES[a.kind] ?? a.kind}, ${streamName(a.stream).toLowerCase()}, ${a.period}` },
    {
      header: 'What happened',
      cell: (a) => {
        const account = typeof a.details?.accountId === 'string' ? a.details.accountId : null;
        return (
          <>
            {a.message}
            {account ? (
              <>
                {' '}
                <a href={`/console/accounts/${account}`}>Open the account</a>
              </>
            ) : null}
          </>
        );
      },
    },
    {
      header: 'State',
      cell: (a) =>
        a.state === 'acknowledged' ? (
          <>
            <Badge tone="good">acknowledged</Badge> <DateTime at={a.acknowledgedAt} />
          </>
        ) : (
          <Badge tone="waiting">new</Badge>
        ),
    },
    { header: 'Sent to', cell: (a) => <Deliveries alert={a} /> },
    ...(admin
      ? [
          {
            header: 'Actions',
            cell: (a: AlertRow) =>
              a.state === 'new' ? (
                <PostForm action={`${ALERTS_URL}/${a.id}/acknowledge`} class="inline">
                  {state ? <input type="hidden" name="state" value={state} /> : null}
                  <button type="submit" aria-label={`Acknowledge the ${a.period} alert: ${a.message}`}>
                    Acknowledge
                  </button>
                </PostForm>
              ) : (
                <span class="muted">—</span>
              ),
          },
        ]
      : []),
  ];
  return renderPage(ctx, {
    title: 'Alerts',
    children: (
      <>
        <p>
          The program raises an alert once per cause and quarter: a significant quarter-over-quarter drop, quarters declining in a row, detractor loop closure or revenue coverage
          below target, an account’s role gap, an emerging theme. Each goes to the program’s alert emails and webhook.
          {admin ? ' Acknowledge an alert once someone has it in hand.' : ' Admins acknowledge them.'}
        </p>
        <nav class="section-nav" aria-label="Which alerts">
          <ul>
            {FILTERS.map((f) => (
              <li key={f.label}>
                <a href={alertsUrl(f.state)} aria-current={f.state === state ? 'page' : undefined}>
                  {f.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <DataTable caption={filter.caption} columns={columns} rows={alerts} rowKey={(a) => a.id} empty={<p>{filter.empty}</p>} />
        {alerts.length >= ALERTS_SHOWN ? <p class="muted">{`The newest ${ALERTS_SHOWN} are shown.`}</p> : null}
      </>
    ),
  });
}
