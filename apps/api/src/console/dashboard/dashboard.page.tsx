import type { AlertRow } from '@libs/db/src/repositories/alerts.repository';
import type { ReportReading } from '@libs/app/src/reports/report-tables.service';
import type { Stream } from '@libs/nps/src';
import { Badge, FieldErrors } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { AccountsSection, RevenueSection } from './account-sections';
import { FilterErrors, FilterForm } from './dashboard-filters';
import { DashboardQuery, dashboardUrl, FormValues } from './dashboard-query';
import { AlertsSection, LoopClosureSection, ResponseRateSection, SegmentsSection, StreamView, ThemesSection, TrendSection } from './dashboard-sections';
import { ARR_BAND_LABELS, countText, decimalText, npsText, QUADRANT_LABELS, ROLE_LABELS, sampleText, shareText, TENURE_LABELS, TRIGGER_LABELS } from './report-format';

/** New alerts read for the count on the page (the latest few are listed). */
export const ALERTS_READ = 100;

/** Every report the dashboard shows, each read once (the account reports only for the relational stream). */
export interface DashboardReports {
  trend: ReportReading<'trend'>;
  segments: ReportReading<'segments'>;
  npsByArr: ReportReading<'nps-by-arr'>;
  arrWeighted: ReportReading<'arr-weighted'>;
  themes: ReportReading<'themes'>;
  responseRate: ReportReading<'response-rate'>;
  loopClosure: ReportReading<'loop-closure'>;
  accountDistribution: ReportReading<'account-distribution'> | null;
  revenueCoverage: ReportReading<'revenue-coverage'> | null;
  roleGap: ReportReading<'role-gap'> | null;
  alerts: AlertRow[];
}

export interface DashboardView {
  query: DashboardQuery;
  values: FormValues;
  /** Filters refused (the page then shows the form and no numbers). */
  errors: FieldErrors | null;
  reports: DashboardReports | null;
}

const STREAMS: ReadonlyArray<{ stream: Stream; name: string; about: string }> = [
  { stream: 'relational', name: 'Relational', about: 'the relationship: quarterly waves and pre-renewal surveys' },
  { stream: 'transactional', name: 'Transactional', about: 'one moment: surveys after a support ticket is solved' },
];

const SECTIONS: ReadonlyArray<[string, string]> = [
  ['glance', 'At a glance'],
  ['trend', 'NPS over time'],
  ['segments', 'Segments'],
  ['revenue', 'NPS and revenue'],
  ['accounts', 'Accounts'],
  ['themes', 'Themes'],
  ['response-rate', 'Response rate'],
  ['loop-closure', 'Loop closure'],
  ['alerts', 'Alerts'],
];

/** Relational or transactional, never both on one page (rules §2): the switch keeps the filters but the trigger, which belongs to a stream. */
function StreamSwitch({ query }: { query: DashboardQuery }) {
  return (
    <nav class="stream-switch" aria-label="Stream">
      <ul>
        {STREAMS.map(({ stream, name, about }) => (
          <li key={stream}>
            <a
              href={dashboardUrl({ ...query, stream, filters: { ...query.filters, trigger: stream === query.stream ? query.filters.trigger : undefined } })}
              aria-current={stream === query.stream ? 'page' : undefined}
            >
              <span class="stream-name">{`${name} NPS`}</span>
              <span class="stream-about">{about}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The filters in force, in words. */
function FilterSummary({ query, name }: { query: DashboardQuery; name: string }) {
  const f = query.filters;
  const parts = [
    f.from || f.to ? `settled ${f.from ? `from ${f.from}` : ''}${f.from && f.to ? ' ' : ''}${f.to ? `to ${f.to}` : ''}` : 'over all time',
    f.trigger ? `trigger ${TRIGGER_LABELS[f.trigger] ?? f.trigger}` : '',
    f.tier ? `tier ${f.tier}` : '',
    f.arrBand ? `ARR band ${ARR_BAND_LABELS[f.arrBand] ?? f.arrBand}` : '',
    f.tenureBand ? `tenure ${TENURE_LABELS[f.tenureBand] ?? f.tenureBand}` : '',
    f.role ? `role ${ROLE_LABELS[f.role] ?? f.role}` : '',
    f.quadrant ? `quadrant ${QUADRANT_LABELS[f.quadrant] ?? f.quadrant}` : '',
  ].filter(Boolean);
  return <p class="filter-summary">{`Showing ${name.toLowerCase()} responses ${parts.join(', ')}. This address keeps the filters: bookmark or share it.`}</p>;
}

function Glance({ reports, view }: { reports: DashboardReports; view: StreamView }) {
  const stream = view.query.stream;
  const { weighted, respondents } = reports.arrWeighted.answer.streams[stream];
  const rate = reports.responseRate.answer.streams[stream];
  const loop = reports.loopClosure.answer.streams[stream].overall;
  const coverage = reports.revenueCoverage?.answer;
  return (
    <section class="glance" id="glance" aria-labelledby="glance-title">
      <h2 id="glance-title">{`${view.name} NPS at a glance`}</h2>
      <dl class="tiles">
        <div class="tile">
          <dt>NPS</dt>
          <dd class="figure">{npsText(respondents.nps)}</dd>
          <dd>
            {sampleText(respondents.n, false)}
            {respondents.lowSample ? (
              <>
                {' '}
                <Badge tone="waiting">low sample</Badge>
              </>
            ) : null}
          </dd>
          {respondents.interval ? <dd>{`95 % interval ${npsText(respondents.interval.low)} to ${npsText(respondents.interval.high)}`}</dd> : null}
        </div>
        <div class="tile">
          <dt>ARR-weighted NPS</dt>
          <dd class="figure">{npsText(weighted.nps)}</dd>
          <dd>{`effective n ${decimalText(weighted.kishN)}`}</dd>
        </div>
        <div class="tile">
          <dt>Response rate</dt>
          <dd class="figure">{shareText(rate.rate)}</dd>
          <dd>{`${countText(rate.responses)} of ${countText(rate.sent)} surveys sent`}</dd>
        </div>
        <div class="tile">
          <dt>Loop closure</dt>
          <dd class="figure">{shareText(loop.rate)}</dd>
          <dd>{`${countText(loop.closed)} closed, ${countText(loop.overdue)} overdue`}</dd>
        </div>
        {coverage ? (
          <div class="tile">
            <dt>Revenue coverage</dt>
            <dd class="figure">{shareText(coverage.share)}</dd>
            <dd>{`target ${coverage.targetPercent} %`}</dd>
          </div>
        ) : null}
        <div class="tile">
          <dt>New alerts</dt>
          <dd class="figure">{reports.alerts.length >= ALERTS_READ ? `${countText(ALERTS_READ)}+` : countText(reports.alerts.length)}</dd>
          <dd>
            <a href="#alerts">{`${view.name} alerts`}</a>
          </dd>
        </div>
      </dl>
    </section>
  );
}

/**
 * The dashboard: every report of /api/reports for one stream at a time, with the filters in the
 * URL. Each chart has its table beside it (its text alternative, and a CSV download of exactly
 * its rows).
 */
export function dashboardPage(ctx: PageContext, view: DashboardView): string {
  const { query, reports } = view;
  const name = STREAMS.find((s) => s.stream === query.stream)!.name;
  const streamView: StreamView = { query, name };
  return renderPage(ctx, {
    title: 'Dashboard',
    children: (
      <>
        <p>The program's numbers, one stream at a time: relational and transactional NPS are never mixed. Months and quarters are calendar ones in UTC.</p>
        <StreamSwitch query={query} />
        {view.errors ? <FilterErrors errors={view.errors} /> : null}
        <FilterForm query={query} values={view.values} errors={view.errors ?? {}} />
        {reports ? (
          <>
            <FilterSummary query={query} name={name} />
            <nav class="toc" aria-label="On this page">
              <ul>
                {SECTIONS.map(([id, label]) => (
                  <li key={id}>
                    <a href={`#${id}`}>{label}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <Glance reports={reports} view={streamView} />
            <TrendSection reading={reports.trend} view={streamView} />
            <SegmentsSection reading={reports.segments} view={streamView} />
            <RevenueSection arrWeighted={reports.arrWeighted} npsByArr={reports.npsByArr} coverage={reports.revenueCoverage} view={streamView} />
            <AccountsSection distribution={reports.accountDistribution} roleGap={reports.roleGap} view={streamView} />
            <ThemesSection reading={reports.themes} view={streamView} />
            <ResponseRateSection reading={reports.responseRate} view={streamView} />
            <LoopClosureSection reading={reports.loopClosure} view={streamView} />
            <AlertsSection alerts={reports.alerts} view={streamView} />
          </>
        ) : (
          <p>Change the filters above to see the reports.</p>
        )}
      </>
    ),
  });
}
