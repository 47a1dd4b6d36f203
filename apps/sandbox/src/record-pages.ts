import { escapeHtml, page } from './kit/page';
import { SandboxFieldView, SandboxNoteView, SandboxRecordList, SandboxRecordView } from './kit/sandbox-demo';

/**
 * The sandbox's browsable pages: what a CSM sees in the CRM (accounts, contacts, tasks) and a
 * support lead in the helpdesk (tickets with their notes), so a person trying the demo can
 * check every write-back without reading JSON. Plain server-rendered HTML: escaped, no script,
 * lists rather than wide tables so they read on a phone.
 */

export const PAGE_SIZE = 50;
const URL_IN_TEXT = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Text with its http(s) links clickable (a task's response link), everything escaped. */
function linkified(text: string): string {
  return text
    .split(URL_IN_TEXT)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('');
}

const shown = (value: string | null) => (value === null ? '<span class="muted">not set</span>' : linkified(value));
const listPath = (kind: string, list: string) => `/sandbox/records/${encodeURIComponent(kind)}/${encodeURIComponent(list)}`;

export function recordPath(kind: string, list: string, id: string): string {
  return `${listPath(kind, list)}/${encodeURIComponent(id)}`;
}

function facts(fields: SandboxFieldView[]): string {
  return fields.map((f) => `${escapeHtml(f.label)}: ${f.value === null ? 'not set' : escapeHtml(f.value)}`).join(' · ');
}

/** One page of a list, `page` counted from 1. */
export function renderRecordList(sandboxName: string, kind: string, list: SandboxRecordList, pageNumber: number): string {
  const pages = Math.max(1, Math.ceil(list.records.length / PAGE_SIZE));
  const shownRecords = list.records.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE);
  const items = shownRecords
    .map((r) => `<li><a href="${escapeHtml(recordPath(kind, list.name, r.id))}">${escapeHtml(r.title)}</a><br><span class="muted">${facts(r.summary)}</span></li>`)
    .join('\n');
  const link = (n: number, label: string) => `<a href="${escapeHtml(`${listPath(kind, list.name)}?page=${n}`)}">${label}</a>`;
  const pager =
    pages > 1
      ? `<nav aria-label="Pages"><p>Page ${pageNumber} of ${pages}. ${pageNumber > 1 ? link(pageNumber - 1, 'Previous page') : ''} ${pageNumber < pages ? link(pageNumber + 1, 'Next page') : ''}</p></nav>`
      : '';
  const title = `${sandboxName}: ${list.title}`;
  const body = `
<p><a href="/sandbox">All sandboxes</a></p>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(list.description)} ${list.records.length} in all.</p>
${list.records.length ? `<ul>\n${items}\n</ul>` : '<p>None yet.</p>'}
${pager}`;
  return page({ title, body });
}

function renderNote(note: SandboxNoteView): string {
  const kind = note.public ? 'Public reply' : 'Private note';
  return `<li><p><strong>${kind}</strong> <span class="muted">by ${escapeHtml(note.author ?? 'unknown')}, <time datetime="${escapeHtml(note.at)}">${escapeHtml(note.at)}</time></span></p><pre>${linkified(note.body)}</pre></li>`;
}

export function renderRecord(sandboxName: string, kind: string, list: SandboxRecordList, record: SandboxRecordView): string {
  const fields = record.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${shown(f.value)}</dd>`).join('\n');
  const notes = record.notes ? `<h2>Comments</h2>\n${record.notes.length ? `<ol>\n${record.notes.map(renderNote).join('\n')}\n</ol>` : '<p>No comments.</p>'}` : '';
  const body = `
<p><a href="${escapeHtml(listPath(kind, list.name))}">${escapeHtml(`${sandboxName}: ${list.title}`)}</a></p>
<h1>${escapeHtml(record.title)}</h1>
<dl>
${fields}
</dl>
${notes}`;
  return page({ title: `${record.title} – ${sandboxName}`, body });
}

/** The index's links to every list: "Salesforce sandbox: Accounts, Contacts, Tasks". */
export function renderListLinks(sandboxes: Array<{ kind: string; name: string; lists: SandboxRecordList[] }>): string {
  return sandboxes
    .filter((s) => s.lists.length)
    .map(
      (s) =>
        `<li>${escapeHtml(s.name)}: ${s.lists.map((l) => `<a href="${escapeHtml(listPath(s.kind, l.name))}">${escapeHtml(l.title)}</a> (${l.records.length})`).join(', ')}</li>`,
    )
    .join('\n');
}
