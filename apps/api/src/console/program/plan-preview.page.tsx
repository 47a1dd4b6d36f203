import type { JSX } from 'preact';
import type { PlannedSurveyDto, PlanPreviewDto, SkippedPersonDto } from '@libs/app/src/planning/plan.dto';
import { localDayBounds } from '@libs/nps/src';
import { Badge, Column, DataTable, ErrorSummary } from '../components';
import { formatCount } from '../format';
import { skipReasonWords, streamName, triggerName } from '../nps-words';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { Calendar, longDay } from './plan-calendar';
import { PLAN_PREVIEW_URL, PROGRAM_SECTION, PROGRAM_URL } from './program-nav';

export const PLAN_TRIGGERS = ['quarterly', 'pre_renewal', 'ticket_solved'] as const;
export const PLAN_SHOWS = ['all', 'surveys', 'skips'] as const;
/** The filters' names in words: beside a refused filter and in the error summary. */
export const FILTER_LABELS: Record<string, string> = { days: 'Days ahead', trigger: 'Survey', show: 'Show', q: 'Person or account' };

/** The preview's filters, as the URL carries them (a shareable address). */
export interface PlanFilters {
  /** As typed (shown back in the form when refused). */
  days: string;
  trigger: string;
  show: (typeof PLAN_SHOWS)[number];
  q: string;
}

const SHOW_LABELS: Record<PlanFilters['show'], string> = { all: 'Surveys and skips', surveys: 'Surveys only', skips: 'Skips only' };
function FilterForm({ filters, errors }: { filters: PlanFilters; errors: Record<string, string> }) {
  const field = (name: string, label: string, control: JSX.Element, hint?: string) => (
    <div class={errors[name] ? 'field has-error' : 'field'}>
      <label for={`field-${name}`}>{label}</label>
      {hint ? (
        <p class="hint" id={`field-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors[name] ? (
        <p class="field-error" id={`field-${name}-error`}>
          {`${label} ${errors[name]}`}
        </p>
      ) : null}
      {control}
    </div>
  );
  const described = (name: string, hint: boolean) => [hint ? `field-${name}-hint` : '', errors[name] ? `field-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <ErrorSummary errors={errors} labels={FILTER_LABELS} />
      <form method="get" action={PLAN_PREVIEW_URL} class="query-form" aria-label="Filter the plan">
        {field(
          'days',
          'Days ahead',
          <input
            id="field-days"
            name="days"
            type="text"
            inputMode="numeric"
            class="short"
            value={filters.days}
            aria-invalid={errors.days ? 'true' : undefined}
            aria-describedby={described('days', true)}
          />,
          '1 to 90',
        )}
        {field(
          'trigger',
          'Survey',
          <select id="field-trigger" name="trigger" aria-invalid={errors.trigger ? 'true' : undefined} aria-describedby={described('trigger', false)}>
            <option value="" selected={!filters.trigger}>
              Every survey
            </option>
            {PLAN_TRIGGERS.map((trigger) => (
              <option key={trigger} value={trigger} selected={filters.trigger === trigger}>
                {triggerName(trigger)}
              </option>
            ))}
          </select>,
        )}
        {field(
          'show',
          'Show',
          <select id="field-show" name="show" aria-invalid={errors.show ? 'true' : undefined} aria-describedby={described('show', false)}>
            {PLAN_SHOWS.map((show) => (
              <option key={show} value={show} selected={filters.show === show}>
                {SHOW_LABELS[show]}
              </option>
            ))}
          </select>,
        )}
        {field(
          'q',
          'Person or account',
          <input id="field-q" name="q" type="text" value={filters.q} autocomplete="off" aria-describedby={described('q', true)} aria-invalid={errors.q ? 'true' : undefined} />,
          'Part of an email address or account name',
        )}
        <div class="actions">
          <button type="submit">Show the plan</button>
          <a href={PLAN_PREVIEW_URL}>Clear filters</a>
        </div>
      </form>
    </>
  );
}

const timeIn = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });

function person(row: { email: string | null; contactId: string | null }) {
  return row.email ?? (row.contactId ? `contact ${row.contactId}` : '—');
}

function DaySection({ day, surveys, skipped, timeZone }: { day: string; surveys: PlannedSurveyDto[]; skipped: SkippedPersonDto[]; timeZone: string }) {
  const time = timeIn(timeZone);
  const name = longDay(day);
  const surveyColumns: Column<PlannedSurveyDto>[] = [
    { header: 'Time', cell: (s) => <time dateTime={new Date(s.scheduledAt).toISOString()}>{time.format(new Date(s.scheduledAt))}</time> },
    { header: 'Person', cell: (s) => person(s) },
    { header: 'Account', cell: (s) => s.accountName ?? <span class="muted">no account</span> },
    {
      header: 'Survey',
      cell: (s) => (
        <>
          {`${triggerName(s.trigger)} (${streamName(s.stream).toLowerCase()})`}
          {s.alreadyScheduled ? (
            <>
              {' '}
              <Badge tone="neutral">already scheduled</Badge>
            </>
          ) : null}
        </>
      ),
    },
    { header: 'Why', cell: (s) => s.why },
  ];
  const skipColumns: Column<SkippedPersonDto>[] = [
    { header: 'Person', cell: (s) => person(s) },
    { header: 'Account', cell: (s) => s.accountName ?? <span class="muted">no account</span> },
    { header: 'Survey', cell: (s) => triggerName(s.trigger) },
    {
      header: 'Reason',
      cell: (s) => (
        <>
          {`Skipped: ${skipReasonWords(s.reason)} `}
          <code>{s.reason}</code>
        </>
      ),
    },
    { header: 'Why', cell: (s) => s.why },
  ];
  return (
    <section class="plan-day" id={`day-${day}`} aria-labelledby={`day-${day}-title`}>
      <h3 id={`day-${day}-title`}>{name}</h3>
      {surveys.length ? (
        <DataTable
          caption={`Surveys planned on ${name} (${timeZone})`}
          columns={surveyColumns}
          rows={surveys}
          rowKey={(s) => `${s.trigger}:${s.contactId ?? s.email}:${String(s.scheduledAt)}`}
          empty={null}
        />
      ) : null}
      {skipped.length ? (
        <DataTable caption={`People skipped on ${name}`} columns={skipColumns} rows={skipped} rowKey={(s) => `${s.trigger}:${s.contactId}:${s.reason}`} empty={null} />
      ) : null}
    </section>
  );
}

/** How many of each, most first. */
function tally(keys: string[]): Array<{ reason: string; count: number }> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

const byDay = <T extends { day: string }>(rows: T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.day, [...(map.get(row.day) ?? []), row]);
  return map;
};

/**
 * /console/program/plan: the plan preview of PlanService (the same as GET /api/plan/preview): a
 * calendar of the days ahead, then each day's surveys (when, who, why) and skips (who, and why),
 * narrowed by the filters in the URL. `preview` is absent when the filters were refused.
 */
export function planPreviewPage(ctx: PageContext, filters: PlanFilters, preview: PlanPreviewDto | null, errors: Record<string, string> = {}): string {
  let body = null;
  if (preview) {
    const needle = filters.q.trim().toLowerCase();
    const about = (row: { email: string | null; accountName: string | null; contactId: string | null }) =>
      !needle || [row.email, row.accountName, row.contactId].some((value) => value?.toLowerCase().includes(needle));
    const surveys = filters.show === 'skips' ? [] : preview.surveys.filter((s) => (!filters.trigger || s.trigger === filters.trigger) && about(s));
    const skipped = filters.show === 'surveys' ? [] : preview.skipped.filter((s) => (!filters.trigger || s.trigger === filters.trigger) && about(s));
    const plannedDays = byDay(surveys);
    const skippedDays = byDay(skipped);
    const days = [...new Set([...plannedDays.keys(), ...skippedDays.keys()])].sort();
    const reasons = tally(skipped.map((s) => s.reason));
    const first = localDayBounds(new Date(preview.from), preview.timeZone).date;
    const last = localDayBounds(new Date(new Date(preview.to).getTime() - 1), preview.timeZone).date;
    const count = (map: Map<string, unknown[]>) => new Map([...map].map(([day, rows]) => [day, rows.length]));
    body = (
      <>
        <h2>Summary</h2>
        <p>
          {`From ${longDay(first)} for ${preview.days} days (${preview.timeZone}): ${formatCount(surveys.length)} ${surveys.length === 1 ? 'survey' : 'surveys'} planned and ${formatCount(skipped.length)} ${skipped.length === 1 ? 'person' : 'people'} skipped`}
          {filters.trigger || filters.q || filters.show !== 'all' ? ' (filtered)' : ''}
          {preview.cancelled ? `; ${formatCount(preview.cancelled)} pending quarterly surveys would be replaced by pre-renewal ones.` : '.'}
        </p>
        {preview.live ? null : (
          <p class="notice">
            The program is a draft: this is what it would do, but nothing is sent until it <a href={PROGRAM_URL}>goes live</a>.
          </p>
        )}
        {reasons.length ? (
          <DataTable
            caption="People skipped, by reason"
            columns={[
              {
                header: 'Reason',
                cell: (r: { reason: string; count: number }) => (
                  <>
                    {`${skipReasonWords(r.reason)} `}
                    <code>{r.reason}</code>
                  </>
                ),
              },
              { header: 'People', cell: (r: { reason: string; count: number }) => formatCount(r.count), numeric: true },
            ]}
            rows={reasons}
            rowKey={(r) => r.reason}
            empty={null}
          />
        ) : null}
        <h2>Calendar</h2>
        <p class="hint">Each day shows the surveys planned on it (in bold) and the people skipped by that day’s plan (boxed). A day with either links to its list below.</p>
        <Calendar first={first} last={last} planned={count(plannedDays)} skipped={count(skippedDays)} />
        <h2>Day by day</h2>
        {days.length ? (
          days.map((day) => <DaySection key={day} day={day} surveys={plannedDays.get(day) ?? []} skipped={skippedDays.get(day) ?? []} timeZone={preview.timeZone} />)
        ) : (
          <div class="empty-state">
            <p>
              {filters.trigger || filters.q || filters.show !== 'all'
                ? 'Nothing in the plan matches these filters.'
                : 'Nobody would be surveyed or skipped in these days: no account renews in the pre-renewal window, and no quarterly wave reaches anyone yet.'}
            </p>
          </div>
        )}
      </>
    );
  }
  return renderPage(ctx, {
    title: 'Plan preview',
    section: PROGRAM_SECTION,
    children: (
      <>
        <p>
          Who the plan would survey on which day and why, and who it would skip and why. It runs the real plan and keeps nothing, so it shows exactly what will happen if nothing
          changes. Times are in the program’s time zone; the send window and the daily cap still apply when the emails go out.
        </p>
        <FilterForm filters={filters} errors={errors} />
        {body}
      </>
    ),
  });
}
