/**
 * The respondent-facing survey pages (rules §4, §5) as pure functions returning whole
 * HTML documents. Plain forms and links: the survey works with JavaScript disabled, in the in-app
 * browsers of mail clients, and on a phone; the one script file only records a score sooner.
 */
import { scoreCategory } from '@libs/nps/src/score';
import type { Category } from '@libs/nps/src/types';
import { escapeHtml, page } from '@libs/app/src/html/html';

/** rules §5: the open-text question asked after the score, by category. Exact wording; markup-safe as is. */
const FOLLOW_UP_QUESTIONS: Readonly<Record<Category, string>> = {
  detractor: 'What is the primary reason for your score?',
  passive: 'What would need to change for you to give us a 9 or 10?',
  promoter: 'What do you value most?',
};

/** rules §5: offered to promoters only, so advocacy asks go to people who said yes. */
export const REFERENCE_OPT_IN_LABEL = "I'd be open to a reference call or case study";

/** The longest comment we accept; the form says so too, so nobody types more than is kept. */
const COMMENT_MAX_LENGTH = 5000;

const SCORES = Array.from({ length: 11 }, (_, score) => score);

/** The 0–10 radio scale; every choice carries its own accessible name. */
function scoreChoices(currentScore: number | null): string {
  return SCORES.map((score) => {
    const checked = score === currentScore ? ' checked' : '';
    return (
      `<input type="radio" id="score-${score}" name="score" value="${score}" aria-label="Score ${score} out of 10" required${checked}>` +
      `<label for="score-${score}">${score}</label>`
    );
  }).join('\n');
}

const SCALE_ANCHORS = '<div class="anchors"><span>0 = Not at all likely</span><span>10 = Extremely likely</span></div>';

function referenceOptInChoice(shown: boolean, checked: boolean): string {
  return (
    `<div class="check" id="reference-opt-in-choice"${shown ? '' : ' hidden'}>` +
    `<input type="checkbox" id="reference-opt-in" name="referenceOptIn" value="yes"${checked ? ' checked' : ''}>` +
    `<label for="reference-opt-in">${REFERENCE_OPT_IN_LABEL}</label></div>`
  );
}

export interface ScorePageInput {
  product: string;
  company: string;
  /** The full question, already worded for the trigger (it may name the ticket). */
  question: string;
  /** Where the form POSTs its `score` field. */
  actionUrl: string;
  /** The survey link's own path (e.g. `/s/<token>`); the unsubscribe link hangs off it. */
  tokenPath: string;
  currentScore: number | null;
  error?: string;
}

/**
 * The question with 0–10 as radio choices: shown when a link is opened without a score (some
 * mail clients mangle the one-click links) and when the respondent wants to change the score.
 */
export function renderScorePage(input: ScorePageInput): string {
  const { product, company, question, actionUrl, tokenPath, currentScore, error } = input;
  const body = `
<h1>Your feedback on ${escapeHtml(product)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(actionUrl)}">
<fieldset>
<legend>${escapeHtml(question)}</legend>
<div class="scale">
${scoreChoices(currentScore)}
</div>
${SCALE_ANCHORS}
</fieldset>
<button type="submit">${currentScore === null ? 'Send score' : 'Save score'}</button>
</form>
<p class="muted"><a href="${escapeHtml(`${tokenPath}/unsubscribe`)}">Stop receiving these surveys</a></p>`;
  return page({ title: 'How likely are you to recommend us?', body, company });
}

export interface AnswerPageInput {
  product: string;
  company: string;
  /** The full question, already worded for the trigger (it may name the ticket). */
  question: string;
  /** The score of the link that was opened: selected, not yet recorded. */
  score: number;
  /** Where the form POSTs `score`, `comment` and `referenceOptIn`; the script POSTs the score here too. */
  actionUrl: string;
  tokenPath: string;
  /** The script that records the score once the page has been visible for a while. */
  scriptUrl: string;
  comment: string | null;
  referenceOptIn: boolean;
  error?: string;
}

/**
 * Opened by a score link in the email (rules §5). It records nothing by itself: mail scanners fetch
 * every link. A person either stays (the script posts the score after 2 s of visibility) or
 * submits the form, which records the score and the comment together and settles the answer.
 */
export function renderAnswerPage(input: AnswerPageInput): string {
  const { product, company, question, score, actionUrl, tokenPath, scriptUrl, comment, referenceOptIn, error } = input;
  const category = scoreCategory(score);
  const questions = (Object.keys(FOLLOW_UP_QUESTIONS) as Category[]).map((c) => ` data-${c}="${escapeHtml(FOLLOW_UP_QUESTIONS[c])}"`).join('');
  const body = `
<h1>Your feedback on ${escapeHtml(product)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p class="status" id="score-status" role="status"></p>
<form method="post" action="${escapeHtml(actionUrl)}" id="answer-form" data-presence-url="${escapeHtml(actionUrl)}">
<fieldset>
<legend>${escapeHtml(question)}</legend>
<div class="scale">
${scoreChoices(score)}
</div>
${SCALE_ANCHORS}
</fieldset>
<label class="field" for="comment" id="comment-question"${questions}>${FOLLOW_UP_QUESTIONS[category]}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="6">${escapeHtml(comment ?? '')}</textarea>
${referenceOptInChoice(category === 'promoter', referenceOptIn)}
<p><button type="submit">Confirm score</button></p>
</form>
<p class="muted"><a href="${escapeHtml(`${tokenPath}/unsubscribe`)}">Stop receiving these surveys</a></p>`;
  return page({ title: 'How likely are you to recommend us?', body, company, scripts: [scriptUrl] });
}

export interface CommentPageInput {
  product: string;
  company: string;
  category: Category;
  score: number;
  commentActionUrl: string;
  changeScoreUrl: string;
  /** What the respondent already sent, shown back so a revisit can edit it. */
  comment: string | null;
  referenceOptIn: boolean;
}

/** After a score is sent from the plain score page: it is recorded, this asks the category's question. */
export function renderCommentPage(input: CommentPageInput): string {
  const { product, company, category, score, commentActionUrl, changeScoreUrl, comment, referenceOptIn } = input;
  const optIn = category === 'promoter' ? referenceOptInChoice(true, referenceOptIn) : '';
  const body = `
<h1>Thanks — you answered ${escapeHtml(score)}.</h1>
<p class="muted">Your score for ${escapeHtml(product)} is saved. One more question, if you have a minute:</p>
<form method="post" action="${escapeHtml(commentActionUrl)}">
<label class="field" for="comment">${FOLLOW_UP_QUESTIONS[category]}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="6">${escapeHtml(comment ?? '')}</textarea>
${optIn}
<p><button type="submit">Send</button></p>
</form>
<p><a href="${escapeHtml(changeScoreUrl)}">Change your score</a></p>`;
  return page({ title: 'Thanks for your answer', body, company });
}

/**
 * Ends a sentence after a name: "Acme Inc." already ends with its own period, so no second one
 * ("from Acme Inc.." read as a typo). Escapes the text.
 */
function endSentence(text: string): string {
  return escapeHtml(/[.!?…]$/.test(text.trimEnd()) ? text.trimEnd() : `${text}.`);
}

export function renderThankYouPage({ company }: { company: string }): string {
  const body = `
<h1>Thank you</h1>
<p>Your feedback goes straight to the team at ${endSentence(company)} You can close this page.</p>`;
  return page({ title: 'Thank you', body, company });
}

/** rules §4: links take answers for 30 days; the caller serves this with HTTP 410. */
export function renderExpiredPage({ company }: { company: string }): string {
  const body = `
<h1>This survey link has expired</h1>
<p>Survey links take answers for 30 days after they are sent. Thank you for your time all the same.</p>`;
  return page({ title: 'This survey link has expired', body, company });
}

/** Served with 404. Names no company: an unknown token tells us nothing about who sent it. */
export function renderNotFoundPage(): string {
  const body = `
<h1>Survey not found</h1>
<p>This link does not match any survey. If you copied it from an email, check that the whole link was copied.</p>`;
  return page({ title: 'Survey not found', body });
}

export function renderUnsubscribedPage({ company, email }: { company: string; email: string }): string {
  const body = `
<h1>You are unsubscribed</h1>
<p>${escapeHtml(email)} will not receive any more surveys from ${endSentence(company)}</p>`;
  return page({ title: 'You are unsubscribed', body, company });
}

/**
 * A GET on the unsubscribe link only asks: mail scanners and link previews fetch every URL in an
 * email, and they must not unsubscribe anyone. The button POSTs to `actionUrl`.
 */
export function renderUnsubscribeConfirmPage({ company, actionUrl }: { company: string; actionUrl: string }): string {
  const body = `
<h1>Unsubscribe from ${escapeHtml(company)} surveys?</h1>
<p>You will not receive any more feedback surveys from ${endSentence(company)}</p>
<form method="post" action="${escapeHtml(actionUrl)}">
<button type="submit">Unsubscribe</button>
</form>`;
  return page({ title: 'Unsubscribe', body, company });
}
