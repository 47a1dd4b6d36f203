import { ARR_BANDS, HEALTH_QUADRANTS, ROLE_PRECEDENCE } from '@libs/nps/src';
import type { FieldErrors } from '../components';
import { TENURE_BANDS } from '../../reports/report-query.dto';
import { DashboardQuery, dashboardUrl, DEFAULT_GRANULARITY, FormValues, triggersOf } from './dashboard-query';
import { ARR_BAND_LABELS, QUADRANT_LABELS, ROLE_LABELS, TENURE_LABELS, TRIGGER_LABELS } from './report-format';

const ANY = { value: '', label: 'Any' };
const options = (values: readonly string[], labels: Record<string, string>) => [ANY, ...values.map((value) => ({ value, label: labels[value] ?? value }))];

const LABELS: Record<string, string> = {
  from: 'From',
  to: 'To',
  trigger: 'Trigger',
  tier: 'Tier',
  arrBand: 'ARR band',
  tenureBand: 'Tenure band',
  role: 'Role',
  quadrant: 'Health quadrant',
  granularity: 'Trend by',
};

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

function Input({ name, type, value, error, hint }: { name: string; type: 'date' | 'text'; value?: string; error?: string; hint?: string }) {
  const id = `field-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{LABELS[name]}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ''}
        maxLength={type === 'text' ? 100 : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
  );
}

function Select({ name, choices, value, error }: { name: string; choices: Array<{ value: string; label: string }>; value?: string; error?: string }) {
  const id = `field-${name}`;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{LABELS[name]}</label>
      <FieldError id={id} error={error} />
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} selected={choice.value === (value ?? '')}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What the filter form refused, in the API's words, each linking to its field. */
export function FilterErrors({ errors }: { errors: FieldErrors }) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">These filters cannot be used</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field in LABELS ? <a href={`#field-${field}`}>{message}</a> : message}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The filters as a GET form: its values live in the URL, so a filtered dashboard can be
 * bookmarked and shared. Empty fields are left out of the address (the page tidies it).
 */
export function FilterForm({ query, values, errors }: { query: DashboardQuery; values: FormValues; errors: FieldErrors }) {
  const v = values;
  return (
    <form method="get" action="/console" class="filters" aria-labelledby="filters-title">
      <h2 id="filters-title" class="visually-hidden">
        Filters
      </h2>
      <input type="hidden" name="stream" value={query.stream} />
      <div class="filter-fields">
        <Input name="from" type="date" value={v.from} error={errors.from} hint="Settled on or after (UTC)" />
        <Input name="to" type="date" value={v.to} error={errors.to} hint="Settled on or before (UTC)" />
        <Select name="trigger" choices={options(triggersOf(query.stream), TRIGGER_LABELS)} value={v.trigger} error={errors.trigger} />
        <Input name="tier" type="text" value={v.tier} error={errors.tier} hint="As in the CRM; unknown for none" />
        <Select name="arrBand" choices={options([...ARR_BANDS, 'unknown'], ARR_BAND_LABELS)} value={v.arrBand} error={errors.arrBand} />
        <Select name="tenureBand" choices={options([...TENURE_BANDS, 'unknown'], TENURE_LABELS)} value={v.tenureBand} error={errors.tenureBand} />
        <Select name="role" choices={options([...ROLE_PRECEDENCE, 'unknown'], ROLE_LABELS)} value={v.role} error={errors.role} />
        <Select name="quadrant" choices={options(HEALTH_QUADRANTS, QUADRANT_LABELS)} value={v.quadrant} error={errors.quadrant} />
        <Select
          name="granularity"
          choices={[
            { value: 'quarter', label: 'Quarter' },
            { value: 'month', label: 'Month' },
          ]}
          value={v.granularity ?? DEFAULT_GRANULARITY}
          error={errors.granularity}
        />
      </div>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <a class="button secondary" href={dashboardUrl({ stream: query.stream, granularity: DEFAULT_GRANULARITY, filters: {} })}>
          Clear filters
        </a>
      </div>
    </form>
  );
}
