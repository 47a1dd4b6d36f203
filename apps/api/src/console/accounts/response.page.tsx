import type { ResponsePageInput } from '@libs/app/src/responses/response-permalink.service';
import type { FollowUpDto } from '../../loop/loop-closure.dto';
import { displayStoredNps } from '../../surveys/pages/response-page';
import { Column, DataTable, DateTime } from '../components';
import { categoryName, followUpKindName, quadrantName, roleName, streamName, triggerName } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { accountUrl, personUrl } from './account-search.page';
import { FollowUpState } from './follow-up-state';

type EarlierAnswer = ResponsePageInput['earlier'][number];

/**
 * /console/responses/:id: the response page the link in every follow-up task opens (the answer,
 * the person's earlier answers, the account's health; ResponsePermalinkService), for a signed-in
 * console user by the response's id, with the answer's follow-ups and their state (as GET
 * /api/responses/:id lists them).
 */
export function responsePage(ctx: PageContext, view: Omit<ResponsePageInput, 'company'>, followUps: FollowUpDto[], now: Date): string {
  const { answer, earlier, health } = view;
  const followUpColumns: Column<FollowUpDto>[] = [
    { header: 'Follow-up', cell: (f) => followUpKindName(f.kind) },
    { header: 'Task', cell: (f) => f.subject },
    { header: 'Priority', cell: (f) => f.priority },
    { header: 'Due', cell: (f) => <DateTime at={f.dueAt} /> },
    { header: 'State', cell: (f) => <FollowUpState followUp={f} now={now} /> },
    {
      header: 'Where',
      cell: (f) => (
        <>
          {f.targetSystem}
          {f.externalId ? (
            <>
              {' '}
              <code>{f.externalId}</code>
            </>
          ) : null}
          {f.lastError ? <span class="vendor-words">{` ${f.lastError}`}</span> : null}
        </>
      ),
    },
  ];
  const earlierColumns: Column<EarlierAnswer>[] = [
    { header: 'Answered', cell: (e) => <DateTime at={e.answeredAt} /> },
    { header: 'Score', cell: (e) => `${e.score} (${e.category})`, numeric: true },
    { header: 'Survey', cell: (e) => `${triggerName(e.trigger)} (${e.stream})` },
    { header: 'Comment', cell: (e) => e.comment ?? <span class="muted">no comment</span> },
  ];
  return renderPage(ctx, {
    title: `NPS answer: ${answer.score} out of 10 (${answer.category})`,
    children: (
      <>
        <p class="muted">The same answer the link in its follow-up task shows, with the follow-ups made for it.</p>
        <dl class="facts stack-on-phone">
          <dt>Score</dt>
          <dd>{`${answer.score} out of 10`}</dd>
          <dt>Category</dt>
          <dd>{categoryName(answer.category)}</dd>
          <dt>Comment</dt>
          <dd>{answer.comment ?? <span class="muted">no comment</span>}</dd>
          <dt>Respondent</dt>
          <dd>
            {answer.contactId ? <a href={personUrl(answer.contactId)}>{answer.respondentName ?? answer.email}</a> : (answer.respondentName ?? answer.email)}
            {answer.respondentName ? ` <${answer.email}>` : ''}
          </dd>
          <dt>Role</dt>
          <dd>{roleName(answer.role ?? 'other')}</dd>
          <dt>Account</dt>
          <dd>{answer.accountId ? <a href={accountUrl(answer.accountId)}>{answer.accountName ?? 'its account'}</a> : 'none'}</dd>
          <dt>Survey</dt>
          <dd>{`${triggerName(answer.trigger)}${answer.ticketId ? ` (request #${answer.ticketId})` : ''}, ${streamName(answer.stream).toLowerCase()}`}</dd>
          <dt>Answered</dt>
          <dd>
            <DateTime at={answer.answeredAt} />
          </dd>
          <dt>Settled</dt>
          <dd>{answer.settledAt ? <DateTime at={answer.settledAt} /> : 'not yet (the respondent may still change it)'}</dd>
          {answer.category === 'promoter' ? (
            <>
              <dt>Reference call or case study</dt>
              <dd>{answer.referenceOptIn ? 'open to it' : 'did not opt in'}</dd>
            </>
          ) : null}
        </dl>
        <h2>Follow-ups</h2>
        <DataTable
          caption="Follow-ups of this answer"
          columns={followUpColumns}
          rows={followUps}
          rowKey={(f) => f.id}
          empty={<p>{answer.settledAt ? 'None were made for this answer.' : 'None yet: follow-ups are made when the answer settles.'}</p>}
        />
        <h2>Account health</h2>
        {!answer.accountId ? (
          <p>This respondent is not linked to an account.</p>
        ) : !health ? (
          <p>No health computed for this account yet.</p>
        ) : (
          <dl class="facts stack-on-phone">
            <dt>Quadrant</dt>
            <dd>{quadrantName(health.quadrant)}</dd>
            <dt>Relational NPS</dt>
            <dd>{displayStoredNps(health.relationalNps)}</dd>
            <dt>Sentiment</dt>
            <dd>{health.sentiment ? categoryName(health.sentiment) : 'unknown (no relational answers)'}</dd>
            <dt>Relational answers, 12 months</dt>
            <dd>{String(health.responses12m)}</dd>
            <dt>Computed</dt>
            <dd>
              <DateTime at={health.computedAt} />
            </dd>
          </dl>
        )}
        <h2>Earlier answers</h2>
        <DataTable
          caption="This person’s earlier answers, newest first"
          columns={earlierColumns}
          rows={[...earlier]}
          rowKey={(e) => `${new Date(e.answeredAt).toISOString()}:${e.trigger}`}
          empty={<p>No earlier answers from this person.</p>}
        />
      </>
    ),
  });
}
