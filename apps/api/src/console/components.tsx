import type { ComponentChildren } from 'preact';
import { usePageContext } from './page-context';

/** The form field csrf-sync reads the token from. */
export const CSRF_FIELD = '_csrf';

/** A POST form with the session's CSRF token in it: every console form is one of these. */
export function PostForm({ action, children, class: className, 'aria-label': label }: { action: string; children?: ComponentChildren; class?: string; 'aria-label'?: string }) {
  const { csrfToken } = usePageContext();
  return (
    <form method="post" action={action} class={className} aria-label={label}>
      {csrfToken ? <input type="hidden" name={CSRF_FIELD} value={csrfToken} /> : null}
      {children}
    </form>
  );
}

/** Problems with what a form sent, per field name; `form` is about the form as a whole. */
export type FieldErrors = Record<string, string | undefined>;

/** A list of what is wrong at the top of a form, each linking to its field. */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, problem]) => (
          <li key={field}>{field in labels ? <a href={`#field-${field}`}>{`${labels[field]} ${problem}`}</a> : problem}</li>
        ))}
      </ul>
    </div>
  );
}

type InputType = 'text' | 'email' | 'password';

/**
 * A field's frame: its label, hint and problem, tied to the control by `aria-describedby`.
 * `control` gets the control's id and the ids that describe it.
 */
export function FieldFrame(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** Where a column header already says what it is (a table cell): the label is kept for screen readers only. */
  hideLabel?: boolean;
  control: (described: string | undefined) => ComponentChildren;
}) {
  const { id } = props;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id} class={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {`${props.label} ${props.error}`}
        </p>
      ) : null}
      {props.control(described)}
    </div>
  );
}

/** A labelled input; its problem (if any) is shown above it and tied to it for screen readers. */
export function TextField(props: {
  name: string;
  label: string;
  type?: InputType;
  value?: string;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      control={(described) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          autocomplete={props.autocomplete}
          required={props.required}
          minLength={props.minLength}
          maxLength={props.maxLength}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described}
        />
      )}
    />
  );
}

/** A labelled select, with a hint (what the field holds) when given. */
export function SelectField(props: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  value?: string;
  error?: string;
  hint?: string;
  id?: string;
  /** Where a column header already says what it is (a table cell): the label is kept for screen readers only. */
  hideLabel?: boolean;
}) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <FieldFrame
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      hideLabel={props.hideLabel}
      control={(described) => (
        <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}>
          {props.options.map((option) => (
            <option key={option.value} value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** Numbers line up on the right on wide screens. */
  numeric?: boolean;
}

/**
 * A table of rows, or the empty state when there are none. On a phone each row becomes a card
 * whose cells carry their column's name (data-label, shown by the stylesheet), so nothing scrolls
 * sideways.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  empty: ComponentChildren;
}) {
  if (!rows.length) return <div class="empty-state">{empty}</div>;
  return (
    <table class="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" class={column.numeric ? 'numeric' : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.header} data-label={column.header} class={column.numeric ? 'numeric' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Newer/older links of a list read a page at a time (keyset pages, newest first). */
export function Pager({ label, first, older }: { label: string; first: string | undefined; older: string | undefined }) {
  if (!first && !older) return null;
  return (
    <nav class="pager" aria-label={label}>
      <ul>
        {first ? (
          <li>
            <a href={first}>Newest</a>
          </li>
        ) : null}
        {older ? (
          <li>
            <a href={older} rel="next">
              Older
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** A moment, in UTC, readable and machine-readable. */
export function DateTime({ at }: { at: Date | string | null | undefined }) {
  if (at === null || at === undefined) return <span class="muted">—</span>;
  const date = at instanceof Date ? at : new Date(at);
  return <time dateTime={date.toISOString()}>{`${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`}</time>;
}

/** A short status word with a shape beside its colour, so it never relies on colour alone. */
export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'waiting' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}
