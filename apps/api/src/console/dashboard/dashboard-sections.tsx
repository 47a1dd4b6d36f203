import type { ComponentChildren } from 'preact';
import type { AlertRow } from '@libs/db/src/repositories/alerts.repository';
import { reportTable, ReportName, ReportTable, SEGMENT_TABLES } from '@libs/app/src/reports/report-tables';
import type { ReportReading } from '@libs/app/src/reports/report-tables.service';
import { DateTime } from '../components';
import { csvUrl, DashboardQuery } from './dashboard-query';
import { loopClosureChart, segmentChart, skipsChart, themesChart, trendChart } from './dashboard-charts';
import { ARR_BAND_LABELS, CATEGORY_LABELS, labelOf, QUADRANT_LABELS, ROLE_LABELS, SEGMENT_LABELS, TENURE_LABELS, THEME_LABELS } from './report-format';
import { Chart, ReportTableView } from './report-table';

/** What every section knows: the stream shown and the query (for its download links). */
export interface StreamView {
  query: DashboardQuery;
  /** "Relational" or "Transactional", to start captions with. */
  name: string;
}

/** One of a reading's tables, for the stream shown. */
export function tableOf<R extends ReportName>(reading: ReportReading<R>, table: string, view: StreamView): ReportTable {
  return reportTable(reading.report, table, reading.answer, view.query.stream, reading.names);
}

export function Section({ id, title, about, children }: { id: string; title: string; about?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <section class="report" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {about ? <p class="muted">{about}</p> : null}
      {children}
    </section>
  );
}

/** A table of a reading with its download link, on the filters its report takes. */
export function Table<R extends ReportName>(props: {
  reading: ReportReading<R>;
  name: string;
  view: StreamView;
  caption: string;
  empty: string;
  labels?: Record<string, Record<string, string>>;
}) {
  return (
    <ReportTableView
      table={tableOf(props.reading, props.name, props.view)}
      caption={props.caption}
      csvHref={csvUrl(props.reading.report, props.name, props.view.query)}
      empty={props.empty}
      labels={props.labels}
    />
  );
}

export function TrendSection({ reading, view }: { reading: ReportReading<'trend'>; view: StreamView }) {
  const { granularity, stream } = view.query;
  const points = reading.answer.streams[stream];
  return (
    <Section
      id="trend"
      title={`NPS by ${granularity}`}
      about={`Each ${granularity} (UTC) with its 95 % adjusted-Wald interval as a band; a hollow diamond marks a low sample (fewer than 30 responses). "Significant" compares a ${granularity} with the one before.`}
    >
      <Chart spec={trendChart('chart-trend', stream, granularity, points)} />
      <Table reading={reading} name="periods" view={view} caption={`${view.name} NPS by ${granularity}`} empty="No responses in this range." />
    </Section>
  );
}

/** A segment as a sentence names it. */
const SEGMENT_PHRASES: Record<string, string> = { tier: 'tier', arrBand: 'ARR band', tenureBand: 'tenure band', role: 'role', quadrant: 'health quadrant' };

const SEGMENT_VALUE_LABELS: Record<string, Record<string, string> | undefined> = {
  tier: undefined,
  arrBand: ARR_BAND_LABELS,
  tenureBand: TENURE_LABELS,
  role: ROLE_LABELS,
  quadrant: QUADRANT_LABELS,
};

export function SegmentsSection({ reading, view }: { reading: ReportReading<'segments'>; view: StreamView }) {
  return (
    <Section
      id="segments"
      title="NPS by segment"
      about="Tier, ARR band, tenure band and role as they were when each response came in; the health quadrant when it settled. A light bar with a dashed outline has a low sample (fewer than 30 responses)."
    >
      {Object.entries(SEGMENT_TABLES).map(([name, segment]) => {
        const what = SEGMENT_PHRASES[segment];
        const labels = SEGMENT_VALUE_LABELS[segment];
        // In the table's order (the rules' order of the values).
        const summaries = reading.answer.streams[view.query.stream][segment];
        const rows = tableOf(reading, name, view).rows.map(({ value }) => ({ label: labels ? labelOf(labels, String(value)) : String(value), summary: summaries[String(value)] }));
        return (
          <div class="segment" key={name}>
            <h3>{`By ${what}`}</h3>
            <Chart spec={segmentChart(`chart-segment-${name}`, what, rows)} />
            <Table
              reading={reading}
              name={name}
              view={view}
              caption={`${view.name} NPS by ${what}`}
              empty={`No responses with a ${what} in this range.`}
              labels={labels ? { value: labels } : {}}
            />
          </div>
        );
      })}
    </Section>
  );
}

export function ThemesSection({ reading, view }: { reading: ReportReading<'themes'>; view: StreamView }) {
  const quarters = reading.answer.streams[view.query.stream];
  const emerging = quarters.flatMap((q) => q.themes.filter((t) => t.emerging).map((t) => `${labelOf(THEME_LABELS, t.theme)} (${q.quarter})`));
  return (
    <Section
      id="themes"
      title="Themes"
      about={`Comment themes per quarter, counted by category. A theme in at least ${reading.answer.emergingAtDetractorComments} detractor comments in a quarter is emerging.`}
    >
      {emerging.length ? (
        <p>
          <strong>Emerging themes:</strong> {emerging.join(', ')}.
        </p>
      ) : (
        <p>No emerging themes in this range.</p>
      )}
      <Chart spec={themesChart('chart-themes', view.query.stream, reading.answer)} />
      <Table
        reading={reading}
        name="themes"
        view={view}
        caption={`${view.name} themes per quarter`}
        empty="No comment with a theme in this range."
        labels={{ theme: THEME_LABELS }}
      />
    </Section>
  );
}

export function ResponseRateSection({ reading, view }: { reading: ReportReading<'response-rate'>; view: StreamView }) {
  return (
    <Section
      id="response-rate"
      title="Response rate and skips"
      about="Surveys sent in the range and how many were answered; beside them, surveys planned in the range that were not sent, by reason. Only the dates and the trigger filter these (surveys carry no segment)."
    >
      <Table reading={reading} name="rate" view={view} caption={`${view.name} response rate`} empty="No surveys sent in this range." />
      <h3>Skipped or cancelled, by reason</h3>
      <Chart spec={skipsChart('chart-skips', view.query.stream, reading.answer)} />
      <Table
        reading={reading}
        name="skips"
        view={view}
        caption={`${view.name} surveys skipped or cancelled, by reason`}
        empty="No survey was skipped or cancelled in this range."
        labels={{ reason: {} }}
      />
    </Section>
  );
}

export function LoopClosureSection({ reading, view }: { reading: ReportReading<'loop-closure'>; view: StreamView }) {
  const alerts = reading.answer.alerts.filter((a) => a.startsWith(view.query.stream));
  return (
    <Section
      id="loop-closure"
      title="Loop closure"
      about="Follow-ups created in the date range: closed / (closed + overdue); open ones not yet due count in neither. Only the dates filter these."
    >
      {alerts.map((alert) => (
        <p class="notice" key={alert}>
          {alert}
        </p>
      ))}
      <Chart spec={loopClosureChart('chart-loop-closure', view.query.stream, reading.answer)} />
      <Table reading={reading} name="categories" view={view} caption={`${view.name} loop closure by category`} empty="No follow-ups." labels={{ category: CATEGORY_LABELS }} />
      <Table
        reading={reading}
        name="segments"
        view={view}
        caption={`${view.name} loop closure by segment`}
        empty="No follow-ups in this range."
        labels={{ segment: SEGMENT_LABELS }}
      />
    </Section>
  );
}

/** How many of the new alerts the dashboard lists. */
const ALERTS_LISTED = 5;

export function AlertsSection({ alerts, view }: { alerts: AlertRow[]; view: StreamView }) {
  return (
    <Section
      id="alerts"
      title="Alerts"
      about={`The latest ${ALERTS_LISTED} ${view.name.toLowerCase()} alerts not acknowledged yet (rules: drops, declines, loop closure, role gaps, emerging themes, coverage).`}
    >
      {alerts.length ? (
        <ul class="alert-list">
          {alerts.slice(0, ALERTS_LISTED).map((alert) => (
            <li key={alert.id}>
              {alert.message} <span class="muted">{'raised '}</span>
              <DateTime at={alert.raisedAt} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{`No new ${view.name.toLowerCase()} alerts.`}</p>
      )}
      <p>
        <a href="/console/alerts">See every alert and acknowledge them</a>
      </p>
    </Section>
  );
}
