import { escapeHtml, page } from './kit/page';
import { CaughtAddress, CaughtMail, MAIL_CATCHER_CAPACITY } from './mail-parser';

// ---- the /sandbox/mail pages ----

const formatAddress = (a: CaughtAddress): string => (a.name ? `${a.name} <${a.address}>` : a.address);
const trimSlash = (basePath: string): string => basePath.replace(/\/+$/, '');

/** "2025-01-02 03:04:05 UTC": short enough for a phone, exact enough to tell mails apart. */
const readableTime = (at: Date): string => `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/**
 * A list, not a table: on a phone each mail is a block (subject, then recipient and time) that
 * wraps inside the screen instead of three columns forcing a horizontal scroll.
 */
export function renderMailList(messages: CaughtMail[], basePath: string): string {
  const base = trimSlash(basePath);
  const items = messages
    .map(
      (mail) =>
        `<li><a href="${escapeHtml(`${base}/${encodeURIComponent(mail.id)}`)}">${escapeHtml(mail.subject || '(no subject)')}</a>\n` +
        `<p class="muted">To ${escapeHtml(mail.to.map(formatAddress).join(', ') || mail.envelopeTo.join(', '))} · ` +
        `<time datetime="${mail.receivedAt.toISOString()}">${readableTime(mail.receivedAt)}</time></p></li>`,
    )
    .join('\n');
  const body = `
<h1>Mail catcher</h1>
<p class="muted">Mail sent to this sandbox, newest first; the last ${MAIL_CATCHER_CAPACITY} are kept.</p>
${messages.length ? `<ol class="mail-list">\n${items}\n</ol>` : '<p>No mail caught yet.</p>'}`;
  return page({ title: 'Mail catcher', body });
}

export function renderMail(message: CaughtMail, basePath: string): string {
  const h = message.headers;
  const fields: Array<[string, string | undefined]> = [
    ['From', message.from ? formatAddress(message.from) : undefined],
    ['Reply-To', message.replyTo ? formatAddress(message.replyTo) : undefined],
    ['To', message.to.map(formatAddress).join(', ')],
    ['Subject', message.subject],
    ['Date', h.date],
    ['Message-ID', h['message-id']],
    ['List-Unsubscribe', h['list-unsubscribe']],
    ['List-Unsubscribe-Post', h['list-unsubscribe-post']],
    ['Envelope from', message.envelopeFrom ?? '<>'],
    ['Envelope to', message.envelopeTo.join(', ')],
    ['Received', message.receivedAt.toISOString()],
  ];
  const list = fields
    .filter(([, value]) => value)
    .map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value as string)}</dd>`)
    .join('\n');
  // Links in the HTML part open in the whole tab, like a mail client opening the survey page;
  // the sandbox forbids scripts, forms and same-origin access from the message.
  const html = message.html === null ? null : withBaseTarget(message.html);
  const body = `
<p><a href="${escapeHtml(trimSlash(basePath) || '/')}">All mail</a></p>
<h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<dl>
${list}
</dl>
<h2>HTML part</h2>
${html === null ? '<p>No HTML part.</p>' : `<iframe title="HTML part of the message" sandbox="allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(html)}"></iframe>`}
<h2>Text part</h2>
${message.text === null ? '<p>No text part.</p>' : `<pre>${escapeHtml(message.text)}</pre>`}`;
  return page({ title: `Mail: ${message.subject || '(no subject)'}`, body });
}

function withBaseTarget(html: string): string {
  const base = '<base target="_top">';
  const head = /<head\b[^>]*>/i.exec(html);
  return head ? html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length) : base + html;
}
