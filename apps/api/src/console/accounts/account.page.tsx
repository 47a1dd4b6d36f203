import type { PerStream, TrendPoint } from '@libs/app/src/reports/nps-reports.service';
import type { Stream } from '@libs/nps/src';
import type { AccountViewDto, ViewAccountPersonDto, ViewAnswerDto, ViewFollowUpDto, ViewHealthDto } from '../../reports/report-views.dto';
import { Badge, Column, DataTable, DateTime } from '../components';
import { formatCount } from '../format';
import { categoryName, followUpKindName, formatAmount, QUADRANTS, quadrantName, roleName, streamName, triggerName, wholeNps } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { ACCOUNTS_URL, personUrl, responseUrl } from './account-search.page';
import { FollowUpState } from './follow-up-state';
import { npsTrendSvg } from './nps-trend-chart';

/** The account view as ReportViewsService answers it (GET /api/reports/accounts/:id). */
export type AccountView = Omit<AccountViewDto, 'npsByQuarter'> & { npsByQuarter: PerStream<TrendPoint[]> };

const SENTIMENTS = ['promoter', 'passive', 'detractor'] as const;

/** The six quadrants as sentiment × activity, the account's own marked in words (not by colour alone). */
function QuadrantGrid({ quadrant }: { quadrant: string }) {
  const cell = (sentiment: string, activity: string) => {
    const q = QUADRANTS.find((x) => x.sentiment === sentiment && x.activity === activity)!;
    const mine = q.code === quadrant;
    return (
      <td class={mine ? 'quadrant-current' : undefined}>
        {mine ? <strong>{q.name}</strong> : q.name}
        {mine ? <span class="quadrant-mark"> (this account)</span> : null}
      </td>
    );
  };
  return (
    <table class="quadrant-grid">
      <caption>Health quadrants: sentiment by activity</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">High activity</th>
          <th scope="col">Low activity</th>
        </tr>
      </thead>
      <tbody>
        {SENTIMENTS.map((sentiment) => (
          <tr key={sentiment}>
            <th scope="row">{categoryName(sentiment)}</th>
            {cell(sentiment, 'high')}
            {cell(sentiment, 'low')}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Health({ health }: { health: ViewHealthDto | null }) {
  if (!health) return <p>Health has not been computed for this account yet: it is, after its first relational answer settles, and every night.</p>;
  return (
    <>
      <p class="figure">{quadrantName(health.quadrant)}</p>
      <p>
        {health.quadrant === 'unknown'
          ? 'Unknown: without a relational answer in the sentiment window, or without a usage field or ARR history for the activity axis, the quadrant is not guessed.'
          : `${categoryName(health.sentiment)} sentiment with ${health.activity} activity (from ${health.activityBasis.replace(/_/g, ' ')}).`}
      </p>
      <QuadrantGrid quadrant={health.quadrant} />
      <dl class="facts stack-on-phone">
        <dt>Sentiment</dt>
        <dd>{health.sentiment ? categoryName(health.sentiment) : 'unknown (no relational answers)'}</dd>
        <dt>Activity</dt>
        <dd>{`${health.activity} (${health.activityBasis.replace(/_/g, ' ')})`}</dd>
        <dt>Relational NPS</dt>
        <dd>{wholeNps(health.relationalNps)}</dd>
        <dt>Decision makers’ NPS</dt>
        <dd>{wholeNps(health.decisionMakerNps)}</dd>
        <dt>End users’ NPS</dt>
        <dd>{wholeNps(health.endUserNps)}</dd>
        <dt>Role gap</dt>
        <dd>
          {health.roleGap === null ? '—' : `${wholeNps(health.roleGap).replace(/^\+/, '')} points`}
          {health.roleGapFlagged ? (
            <>
              {' '}
              <Badge tone="bad">flagged</Badge>
            </>
          ) : null}
        </dd>
        <dt>Relational answers, 12 months</dt>
        <dd>{formatCount(health.responses12m)}</dd>
        <dt>Last answer</dt>
        <dd>{health.lastResponseDate ?? '—'}</dd>
        <dt>Computed</dt>
        <dd>
          <DateTime at={health.computedAt} />
        </dd>
      </dl>
    </>
  );
}

function Trend({ stream, points }: { stream: Stream; points: TrendPoint[] }) {
  const title = `${streamName(stream)} NPS by quarter`;
  if (!points.length) return <p>{`No settled ${stream} answers from this account yet.`}</p>;
  const label = `${title}: ${points.map((p) => (p.summary.nps === null ? `${p.period} no answers` : `${p.period} ${wholeNps(p.summary.nps)} from ${p.summary.n}`)).join(', ')}.`;
  const columns: Column<TrendPoint>[] = [
    { header: 'Quarter', cell: (p) => p.period },
    { header: 'NPS', cell: (p) => wholeNps(p.summary.nps), numeric: true },
    {
      header: 'Answers',
      cell: (p) => (
        <>
          {formatCount(p.summary.n)}
          {p.summary.lowSample && p.summary.n > 0 ? (
            <>
              {' '}
              <Badge tone="waiting">low sample</Badge>
            </>
          ) : null}
        </>
      ),
      numeric: true,
    },
    { header: 'Promoters / passives / detractors', cell: (p) => `${p.summary.promoters} / ${p.summary.passives} / ${p.summary.detractors}` },
    { header: '95 % interval', cell: (p) => (p.summary.interval ? `${wholeNps(p.summary.interval.low)} to ${wholeNps(p.summary.interval.high)}` : '—') },
    { header: 'Change', cell: (p) => (p.change ? (p.change.significant ? 'significant' : 'within the noise') : '—') },
  ];
  return (
    <>
      <figure class="trend-chart" aria-label={title}>
        <div dangerouslySetInnerHTML={{ __html: npsTrendSvg(`trend-${stream}-chart`, points, label) }} />
        <figcaption class="hint">The line is the NPS; the bar behind each point, its 95 % interval; a hollow point, a quarter with fewer than 30 answers.</figcaption>
      </figure>
      <DataTable caption={title} columns={columns} rows={points} rowKey={(p) => p.period} empty={null} />
    </>
  );
}

function answerColumns(people: Map<string, ViewAccountPersonDto>): Column<ViewAnswerDto>[] {
  return [
    { header: 'Answered', cell: (r) => <DateTime at={r.answeredAt} /> },
    {
      header: 'Person',
      cell: (r) => {
        const who = r.contactId ? people.get(r.contactId) : undefined;
        return r.contactId ? <a href={personUrl(r.contactId)}>{who?.name ?? who?.email ?? 'their page'}</a> : <span class="muted">not matched</span>;
      },
    },
    { header: 'Survey', cell: (r) => `${triggerName(r.trigger)} (${r.stream})` },
    { header: 'Score', cell: (r) => `${r.score} (${r.category})`, numeric: true },
    { header: 'Comment', cell: (r) => r.comment ?? <span class="muted">no comment</span> },
    { header: 'Themes', cell: (r) => (r.themes.length ? r.themes.map((t) => t.replace(/_/g, ' ')).join(', ') : <span class="muted">—</span>) },
    {
      header: 'Answer',
      cell: (r) => (
        <>
          {r.settledAt ? <Badge tone="good">settled</Badge> : <Badge tone="waiting">may still change</Badge>}{' '}
          <a href={responseUrl(r.id)} aria-label={`View the answer of ${new Date(r.answeredAt).toISOString().slice(0, 10)}, score ${r.score}`}>
            View
          </a>
        </>
      ),
    },
  ];
}

function followUpColumns(now: Date): Column<ViewFollowUpDto>[] {
  return [
    { header: 'Made', cell: (f) => <DateTime at={f.createdAt} /> },
    { header: 'Follow-up', cell: (f) => followUpKindName(f.kind) },
    { header: 'Priority', cell: (f) => f.priority },
    { header: 'Due', cell: (f) => <DateTime at={f.dueAt} /> },
    { header: 'State', cell: (f) => <FollowUpState followUp={f} now={now} /> },
    { header: 'Where', cell: (f) => f.targetSystem },
    { header: 'Response', cell: (f) => <a href={responseUrl(f.responseId)}>View the answer</a> },
  ];
}

/**
 * /console/accounts/:id: one account's story from ReportViewsService (as GET
 * /api/reports/accounts/:id): its facts, health quadrant, NPS by quarter per stream (charts with the
 * numbers beside them), people and roles, answers and follow-ups.
 */
export function accountPage(ctx: PageContext, view: AccountView, now: Date): string {
  const { account } = view;
  const people = new Map(view.people.map((p) => [p.id, p]));
  const personColumns: Column<ViewAccountPersonDto>[] = [
    { header: 'Name', cell: (p) => <a href={personUrl(p.id)}>{p.name ?? p.email ?? p.externalId}</a> },
    { header: 'Email', cell: (p) => p.email ?? <span class="muted">none</span> },
    { header: 'Role', cell: (p) => roleName(p.role) },
    { header: 'Surveys', cell: (p) => (p.unsubscribed ? <Badge tone="bad">unsubscribed</Badge> : <Badge tone="good">subscribed</Badge>) },
  ];
  return renderPage(ctx, {
    title: account.name,
    children: (
      <>
        <p>
          <a href={ACCOUNTS_URL}>Find another account</a>
        </p>
        <dl class="facts stack-on-phone">
          <dt>CRM id</dt>
          <dd>
            <code>{account.externalId}</code>
          </dd>
          <dt>Tier</dt>
          <dd>{account.tier ?? '—'}</dd>
          <dt>ARR</dt>
          <dd>{formatAmount(account.arr)}</dd>
          <dt>Renewal date</dt>
          <dd>{account.renewalDate ?? '—'}</dd>
          <dt>Customer since</dt>
          <dd>{account.customerSince ?? '—'}</dd>
          <dt>State</dt>
          <dd>{account.removed ? <Badge tone="neutral">source removed</Badge> : account.active ? <Badge tone="good">active</Badge> : <Badge tone="neutral">inactive</Badge>}</dd>
        </dl>
        <h2>Health</h2>
        <Health health={view.health} />
        <h2>NPS by quarter</h2>
        <p class="hint">Each stream on its own: relational (quarterly and pre-renewal) and transactional (tickets) are never mixed.</p>
        {(['relational', 'transactional'] as const).map((stream) => (
          <section key={stream} aria-labelledby={`trend-${stream}`}>
            <h3 id={`trend-${stream}`}>{streamName(stream)}</h3>
            <Trend stream={stream} points={view.npsByQuarter[stream]} />
          </section>
        ))}
        <h2>People and roles</h2>
        <DataTable caption="People, decision makers first" columns={personColumns} rows={view.people} rowKey={(p) => p.id} empty={<p>No contacts of this account are known.</p>} />
        <h2>Answers</h2>
        <DataTable
          caption="Answers, newest first (the latest 200)"
          columns={answerColumns(people)}
          rows={view.responses}
          rowKey={(r) => r.id}
          empty={<p>Nobody at this account has answered a survey yet.</p>}
        />
        <h2>Follow-ups</h2>
        <DataTable
          caption="Follow-ups of its answers, newest first"
          columns={followUpColumns(now)}
          rows={view.followUps}
          rowKey={(f) => f.id}
          empty={<p>No follow-ups yet: each settled answer gets one (a task for the account’s owner).</p>}
        />
      </>
    ),
  });
}
