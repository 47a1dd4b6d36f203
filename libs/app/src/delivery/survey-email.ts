/**
 * The survey email (rules §5) as a pure function: who it is from, the question, the 11
 * one-click score links and the unsubscribe link, in an HTML and a plain-text part. The HTML is
 * built for email clients: tables, inline styles only, no script, no images, no external CSS.
 */
import type { Trigger } from '@libs/nps/src/types';
import { escapeHtml } from '../html/html';

interface MailAddress {
  name: string;
  address: string;
}

export interface SurveyEmailInput {
  recipient: { email: string; firstName: string | null };
  product: string;
  company: string;
  trigger: Trigger;
  /** Required for ticket_solved: the question names the request. */
  ticket?: { id: string; subject: string | null };
  /** The account owner; when present the email comes "from" them and replies reach them. */
  csm?: { name: string; email: string } | null;
  defaultSender: MailAddress;
  /** The only From address we may send as (SPF/DKIM); a CSM's own domain is not ours to use. */
  sendingAddress: string;
  scoreUrl: (score: number) => string;
  /** Works forever (rules §4), unlike the score links; https when PUBLIC_URL is https. */
  unsubscribeUrl: string;
}

export interface SurveyEmail {
  from: MailAddress;
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

const SCORES = Array.from({ length: 11 }, (_, score) => score);

/** What a click does (rules §5): it opens a page; the answer counts once the person is there. */
const NEXT_STEP = 'Choosing a score opens a short page where you can confirm it and add a comment.';

// Email-safe palette: every text/background pair is at least 4.5:1.
const TEXT = '#1a1a1a';
const MUTED = '#4a4a4a';
const LINK = '#0b57d0';
const CHOICE_BG = '#f1f3f4';

/** Collapses newlines and runs of spaces: a ticket subject is shown on one line. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function senderOf(input: SurveyEmailInput): { from: MailAddress; replyTo: string | null; signature: string } {
  const { csm, company, defaultSender, sendingAddress } = input;
  if (csm && csm.email.trim()) {
    const name = oneLine(csm.name);
    // An owner without a name still gets the replies; the sender then reads as the company.
    return {
      from: { name: name ? `${name} at ${company}` : company, address: sendingAddress },
      replyTo: csm.email.trim(),
      signature: name ? `${name}\n${company}` : company,
    };
  }
  return { from: { ...defaultSender }, replyTo: null, signature: defaultSender.name };
}

/** The rules §5 question; for a solved ticket it names the request so the answer is about that moment. */
export function surveyQuestion(input: Pick<SurveyEmailInput, 'product' | 'trigger' | 'ticket'>): string {
  if (input.trigger !== 'ticket_solved') return `How likely are you to recommend ${input.product} to a colleague?`;
  const ticket = requireTicket(input);
  const subject = ticket.subject ? oneLine(ticket.subject) : '';
  return `Thinking about your request #${ticket.id}${subject ? ` (${subject})` : ''}, ` + `how likely are you to recommend ${input.product} to a colleague?`;
}

function requireTicket(input: Pick<SurveyEmailInput, 'ticket'>): { id: string; subject: string | null } {
  if (!input.ticket) throw new Error('A ticket_solved survey email needs the ticket it asks about');
  return input.ticket;
}

function subjectOf(input: SurveyEmailInput): string {
  if (input.trigger === 'ticket_solved') return `How did we do on request #${requireTicket(input).id}?`;
  return `Quick question from ${oneLine(input.company)}`;
}

function greetingOf(input: SurveyEmailInput): string {
  const firstName = input.recipient.firstName ? oneLine(input.recipient.firstName) : '';
  return firstName ? `Hi ${firstName},` : 'Hi,';
}

function renderHtml(input: SurveyEmailInput, question: string, signature: string): string {
  const e = escapeHtml;
  // 11 equal cells: ~44px each on desktop; on a narrow phone they shrink in width but keep a
  // 44px-high tap area, and one row keeps the scale reading as a scale.
  const cells = SCORES.map(
    (score) =>
      `<td width="9%" align="center" style="padding:2px;">` +
      `<a href="${e(input.scoreUrl(score))}" aria-label="Score ${score} out of 10" ` +
      `style="display:block;min-width:24px;line-height:44px;font-size:18px;font-weight:bold;` +
      `color:${TEXT};background:${CHOICE_BG};border:1px solid ${MUTED};border-radius:4px;text-decoration:none;">` +
      `${score}</a></td>`,
  ).join('\n');
  const paragraph = (text: string, style = ''): string => `<p style="margin:0 0 16px;${style}">${e(text).replace(/\n/g, '<br>')}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(subjectOf(input))}</title>
</head>
<body style="margin:0;padding:0;background:#ffffff;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:${TEXT};">
<tr><td style="padding:0 0 8px;">
${paragraph(greetingOf(input))}
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3;color:${TEXT};">${e(question)}</h1>
</td></tr>
<tr><td>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;">
<tr>
${cells}
</tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:6px;">
<tr><td align="left" style="font-size:14px;color:${MUTED};">Not at all likely</td><td align="right" style="font-size:14px;color:${MUTED};">Extremely likely</td></tr>
</table>
</td></tr>
<tr><td style="padding:24px 0 0;">
${paragraph(NEXT_STEP)}
${paragraph(signature)}
</td></tr>
<tr><td style="padding:16px 0 0;border-top:1px solid ${MUTED};font-size:14px;color:${MUTED};">
<p style="margin:16px 0 0;">Don't want these surveys? <a href="${e(input.unsubscribeUrl)}" style="color:${LINK};">Unsubscribe</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function renderText(input: SurveyEmailInput, question: string, signature: string): string {
  const links = SCORES.map((score) => `${score}: ${input.scoreUrl(score)}`).join('\n');
  return [
    greetingOf(input),
    '',
    question,
    '',
    'Choose a score from 0 (not at all likely) to 10 (extremely likely):',
    '',
    links,
    '',
    NEXT_STEP,
    '',
    signature,
    '',
    `Unsubscribe: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');
}

/** Builds the survey email; the caller hands it to the SMTP transport as is. */
export function renderSurveyEmail(input: SurveyEmailInput): SurveyEmail {
  const { from, replyTo, signature } = senderOf(input);
  const question = surveyQuestion(input);
  return {
    from,
    replyTo,
    to: input.recipient.email,
    subject: subjectOf(input),
    html: renderHtml(input, question, signature),
    text: renderText(input, question, signature),
    headers: unsubscribeHeaders(input.unsubscribeUrl),
  };
}

/**
 * RFC 2369 List-Unsubscribe, plus RFC 8058 one-click (mail providers POST to the URL, so the link
 * works without a page visit). RFC 8058 allows one-click only on an HTTPS URI, so a plain-http
 * install (a laptop trying it out) offers the link without the one-click promise.
 */
function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  const headers: Record<string, string> = { 'List-Unsubscribe': `<${unsubscribeUrl}>` };
  if (unsubscribeUrl.startsWith('https://')) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}
