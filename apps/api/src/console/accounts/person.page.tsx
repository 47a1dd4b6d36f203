import type { PersonViewDto, ViewAnswerDto, ViewSurveyDto } from '../../reports/report-views.dto';
import { Badge, Column, DataTable, DateTime } from '../components';
import { roleName, skipReasonWords, streamName, surveyStatusName, triggerName } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { accountUrl, responseUrl } from './account-search.page';

const survey = (s: { trigger: string; stream: string }) => `${triggerName(s.trigger)} (${streamName(s.stream).toLowerCase()})`;

/**
 * /console/people/:id: one person from ReportViewsService (as GET /api/reports/people/:id): their
 * answers, the surveys sent to them and those skipped or cancelled with the reason, the next one
 * planned, and whether they unsubscribed. Unsubscribing is the person's own act (the link in every
 * survey email); the console shows the state.
 */
export function personPage(ctx: PageContext, view: PersonViewDto): string {
  const { person } = view;
  const answerColumns: Column<ViewAnswerDto>[] = [
    { header: 'Answered', cell: (r) => <DateTime at={r.answeredAt} /> },
    { header: 'Survey', cell: survey },
    { header: 'Score', cell: (r) => `${r.score} (${r.category})`, numeric: true },
    { header: 'Comment', cell: (r) => r.comment ?? <span class="muted">no comment</span> },
    { header: 'Role then', cell: (r) => roleName(r.role) },
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
  const sentColumns: Column<ViewSurveyDto>[] = [
    { header: 'Sent', cell: (s) => <DateTime at={s.sentAt} /> },
    { header: 'Survey', cell: survey },
    { header: 'State', cell: (s) => surveyStatusName(s.status) },
  ];
  const skippedColumns: Column<ViewSurveyDto>[] = [
    { header: 'Planned for', cell: (s) => <DateTime at={s.scheduledAt} /> },
    { header: 'Survey', cell: survey },
    { header: 'State', cell: (s) => surveyStatusName(s.status) },
    {
      header: 'Reason',
      cell: (s) =>
        s.skipReason ? (
          <>
            {`${s.status === 'cancelled' ? 'Cancelled' : 'Skipped'}: ${skipReasonWords(s.skipReason)} `}
            <code>{s.skipReason}</code>
          </>
        ) : (
          <span class="muted">—</span>
        ),
    },
  ];
  const next = view.nextPlanned;
  return renderPage(ctx, {
    title: person.name ?? person.email ?? `Contact ${person.externalId}`,
    children: (
      <>
        <dl class="facts stack-on-phone">
          <dt>Email</dt>
          <dd>{person.email ?? 'none'}</dd>
          <dt>Role</dt>
          <dd>{roleName(person.role)}</dd>
          <dt>Account</dt>
          <dd>{person.accountId ? <a href={accountUrl(person.accountId)}>{person.accountName ?? 'its account'}</a> : 'none'}</dd>
          <dt>CRM id</dt>
          <dd>
            <code>{person.externalId}</code>
          </dd>
          <dt>Surveys</dt>
          <dd>
            {view.unsubscribed ? (
              <>
                <Badge tone="bad">unsubscribed</Badge> since <DateTime at={person.unsubscribedAt} />: never surveyed again.
              </>
            ) : (
              <>
                <Badge tone="good">subscribed</Badge> every survey email lets them unsubscribe.
              </>
            )}
          </dd>
        </dl>
        <h2>Next planned survey</h2>
        {next ? (
          <p>
            {`${survey(next)}, ${surveyStatusName(next.status)} for `}
            <DateTime at={next.scheduledAt} />
            {' (the send window and the daily cap still apply).'}
          </p>
        ) : (
          <p>{view.unsubscribed ? 'None: they unsubscribed.' : 'None planned yet. The daily plan adds one when their quarterly wave or a renewal comes up.'}</p>
        )}
        <h2>Answers</h2>
        <DataTable caption="Their answers, newest first" columns={answerColumns} rows={view.answers} rowKey={(r) => r.id} empty={<p>No answers from them yet.</p>} />
        <h2>Surveys sent</h2>
        <DataTable caption="Surveys sent to them, newest first" columns={sentColumns} rows={view.sent} rowKey={(s) => s.id} empty={<p>No survey has been sent to them yet.</p>} />
        <h2>Surveys skipped or cancelled</h2>
        <DataTable
          caption="Surveys skipped or cancelled, with the reason, newest first"
          columns={skippedColumns}
          rows={view.skipped}
          rowKey={(s) => s.id}
          empty={<p>None: no survey planned for them was skipped or cancelled.</p>}
        />
      </>
    ),
  });
}
