import type { AccountSearchPage } from '@libs/app/src/reports/account-search.service';
import type { AccountSearchRow } from '@libs/db/src/repositories/report-people.repository';
import { Badge, Column, DataTable, ErrorSummary } from '../components';
import { formatCount } from '../format';
import { formatAmount, quadrantName } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';

export const ACCOUNTS_URL = '/console/accounts';
export const accountUrl = (id: string) => `${ACCOUNTS_URL}/${id}`;
export const personUrl = (id: string) => `/console/people/${id}`;
export const responseUrl = (id: string) => `/console/responses/${id}`;

const LABELS = { q: 'Account name or CRM id', page: 'Page' };

const searchUrl = (text: string, page: number) => `${ACCOUNTS_URL}?${new URLSearchParams(page > 1 ? { q: text, page: String(page) } : { q: text })}`;

function PageLinks({ result }: { result: AccountSearchPage }) {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Search result pages">
      <ul>
        {result.page > 1 ? (
          <li>
            <a href={searchUrl(result.text, Math.min(result.page - 1, pages))} rel="prev">
              Previous page
            </a>
          </li>
        ) : null}
        <li class="muted">{`Page ${formatCount(result.page)} of ${formatCount(pages)}`}</li>
        {result.page < pages ? (
          <li>
            <a href={searchUrl(result.text, result.page + 1)} rel="next">
              Next page
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/**
 * /console/accounts: find an account by name or CRM id (AccountSearchService), 25 a page, each
 * opening its account page. Without a search it lists nothing: a CRM holds thousands of accounts.
 */
export function accountSearchPage(ctx: PageContext, form: { q: string; errors?: Record<string, string> }, result: AccountSearchPage | null): string {
  const errors = form.errors ?? {};
  const columns: Column<AccountSearchRow>[] = [
    {
      header: 'Account',
      cell: (a) => (
        <>
          <a href={accountUrl(a.id)}>{a.name}</a>
          {a.removed ? (
            <>
              {' '}
              <Badge tone="neutral">source removed</Badge>
            </>
          ) : null}
        </>
      ),
    },
    { header: 'CRM id', cell: (a) => <code>{a.externalId}</code> },
    { header: 'Tier', cell: (a) => a.tier ?? <span class="muted">—</span> },
    { header: 'ARR', cell: (a) => formatAmount(a.arr), numeric: true },
    { header: 'Renewal', cell: (a) => a.renewalDate ?? <span class="muted">—</span> },
    { header: 'Health', cell: (a) => quadrantName(a.quadrant) },
    { header: 'Answers, 12 months', cell: (a) => (a.responses12m === null ? <span class="muted">—</span> : formatCount(a.responses12m)), numeric: true },
  ];
  const error = errors.q ?? errors.page;
  return renderPage(ctx, {
    title: 'Accounts',
    children: (
      <>
        <p>Find an account to see its answers, its people and their roles, its NPS by quarter, its health and its follow-ups.</p>
        <ErrorSummary errors={errors} labels={LABELS} />
        <form method="get" action={ACCOUNTS_URL} class="query-form" role="search" aria-label="Find an account">
          <div class={error ? 'field has-error' : 'field'}>
            <label for="field-q">{LABELS.q}</label>
            <p class="hint" id="field-q-hint">
              Part of the name, or the start of the account’s id in the CRM.
            </p>
            {error ? (
              <p class="field-error" id="field-q-error">
                {`${errors.q ? LABELS.q : LABELS.page} ${error}`}
              </p>
            ) : null}
            <input
              id="field-q"
              name="q"
              type="search"
              value={form.q}
              autocomplete="off"
              spellcheck={false}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'field-q-hint field-q-error' : 'field-q-hint'}
            />
          </div>
          <div class="actions">
            <button type="submit">Search</button>
          </div>
        </form>
        {result ? (
          <>
            <h2>{`${formatCount(result.total)} ${result.total === 1 ? 'account matches' : 'accounts match'} “${result.text}”`}</h2>
            <DataTable
              caption={`Accounts matching “${result.text}”, page ${result.page}`}
              columns={columns}
              rows={result.rows}
              rowKey={(a) => a.id}
              empty={<p>{result.total ? 'There is no account on this page: go back to the first page.' : 'No account has this in its name or at the start of its CRM id.'}</p>}
            />
            <PageLinks result={result} />
          </>
        ) : null}
      </>
    ),
  });
}
