/**
 * The read-only response page behind the link in every follow-up task and Zendesk note
 * (rules §6): the answer, the respondent's earlier answers and the account's health,
 * for a CSM or agent without an nps-bridge login. Everything shown was typed by someone else
 * (comments, names, account names), so every value goes through escapeHtml.
 */
import { roundFractionHalfAwayFromZero } from '@libs/nps/src/score';
import type { PermalinkAccountHealth } from '@libs/db/src/repositories/account-health.repository';
import type { EarlierAnswer, PermalinkAnswer } from '@libs/db/src/repositories/responses.repository';
import type { ResponsePageInput } from '@libs/app/src/responses/response-permalink.service';
import { escapeHtml, page } from '@libs/app/src/html/html';

/** Product words for stored codes: `decision_maker` reads "decision maker". */
function words(code: string): string {
  return code.replace(/_/g, ' ');
}

/** UTC, to the minute: the page is read in many time zones and says which one it uses. */
function when(at: Date | string): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A stored NPS (numeric, e.g. "37.50") rounded once for display, half away from zero (rules §1). */
export function displayStoredNps(value: string | null): string {
  if (value === null) return 'none yet (no relational answers in the last 365 days)';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a stored NPS: ${value}`);
  const decimals = match[3] ?? '';
  const numerator = BigInt(`${match[1]}${match[2]}${decimals}`);
  return String(roundFractionHalfAwayFromZero(numerator, 10n ** BigInt(decimals.length)));
}

function row(label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
}

function respondentOf(answer: PermalinkAnswer): string {
  return answer.respondentName ? `${answer.respondentName} <${answer.email}>` : answer.email;
}

function occasionOf(answer: Pick<PermalinkAnswer, 'stream' | 'trigger'> & { ticketId?: string | null }): string {
  const ticket = answer.ticketId ? ` (request #${answer.ticketId})` : '';
  return `${words(answer.trigger)}${ticket}, ${answer.stream}`;
}

function answerSection(answer: PermalinkAnswer): string {
  const rows = [
    row('Score', `${answer.score} out of 10`),
    row('Category', answer.category),
    row('Comment', answer.comment ?? '(no comment)'),
    row('Respondent', respondentOf(answer)),
    row('Role', words(answer.role ?? 'other')),
    row('Account', answer.accountName ?? '(no account)'),
    row('Answered', when(answer.answeredAt)),
    row('Settled', answer.settledAt ? when(answer.settledAt) : 'not yet (the respondent may still change it)'),
    row('Survey', occasionOf(answer)),
  ];
  if (answer.category === 'promoter') rows.push(row('Reference call or case study', answer.referenceOptIn ? 'open to it' : 'did not opt in'));
  return `<dl>\n${rows.join('\n')}\n</dl>`;
}

function healthSection(answer: PermalinkAnswer, health: PermalinkAccountHealth | null): string {
  if (!answer.accountId) return '<p>This respondent is not linked to an account.</p>';
  if (!health) return `<p>No health computed for ${escapeHtml(answer.accountName ?? 'this account')} yet.</p>`;
  const rows = [
    row('Quadrant', words(health.quadrant)),
    row('Relational NPS', displayStoredNps(health.relationalNps)),
    row('Sentiment', health.sentiment ?? 'unknown (no relational answers)'),
    row('Relational answers, last 12 months', String(health.responses12m)),
    row('Computed', when(health.computedAt)),
  ];
  return `<dl>\n${rows.join('\n')}\n</dl>`;
}

function earlierSection(earlier: readonly EarlierAnswer[]): string {
  if (earlier.length === 0) return '<p>No earlier answers from this person.</p>';
  const rows = earlier.map(
    (e) =>
      `<tr><td>${escapeHtml(when(e.answeredAt))}</td><td>${escapeHtml(e.score)}</td><td>${escapeHtml(e.category)}</td>` +
      `<td>${escapeHtml(occasionOf(e))}</td><td>${escapeHtml(e.comment ?? '')}</td></tr>`,
  );
  return `<table>
<caption class="muted">Newest first</caption>
<thead><tr><th scope="col">Answered</th><th scope="col">Score</th><th scope="col">Category</th><th scope="col">Survey</th><th scope="col">Comment</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

export function renderResponsePage({ company, answer, earlier, health }: ResponsePageInput): string {
  const body = `
<h1>NPS answer: ${escapeHtml(answer.score)} out of 10 (${escapeHtml(answer.category)})</h1>
<p class="muted">A read-only view of one survey answer. Keep this link to yourself: anyone who has it can open this page.</p>
<h2>The answer</h2>
${answerSection(answer)}
<h2>Account health</h2>
${healthSection(answer, health)}
<h2>Earlier answers</h2>
${earlierSection(earlier)}`;
  return page({ title: 'NPS answer', body, company, noindex: true });
}

/** Served with 404 for an unknown or revoked link; says nothing about which. */
export function renderResponseNotFoundPage(): string {
  const body = `
<h1>Response link not found</h1>
<p>This link does not open any answer. It may have been revoked; ask an nps-bridge admin for a new one.</p>`;
  return page({ title: 'Response link not found', body, noindex: true });
}
