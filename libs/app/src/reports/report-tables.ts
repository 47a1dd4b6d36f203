import { ARR_BANDS, HEALTH_QUADRANTS, LoopClosure, NpsSummary, ROLE_PRECEDENCE, Stream } from '@libs/nps/src';
import { spreadsheetSafe } from '../export/response-csv';
import type { AccountReportsService, NpsByArrStream } from './account-reports.service';
import type { LoopClosureReport } from './loop-closure.service';
import type { PerStream, ResponseRateLine, Segment, SegmentReport, ThemeReport, TrendReport } from './nps-reports.service';

/**
 * Every report answer as named tables of rows, one stream at a time: what the console shows
 * beside each chart and what `/api/reports/<report>/<table>.csv` and the console's CSV links
 * send. Defined once here, so a page's table and its download always have the same columns and
 * values. Values are the reports' own (exact NPS, shares 0–1, money as decimal strings): the
 * page formats them, the CSV writes them as they are.
 */

/** The reports with tables, by the name of their JSON route under /api/reports (loop closure: /api/loop-closure). */
export const REPORT_NAMES = [
  'trend',
  'segments',
  'nps-by-arr',
  'arr-weighted',
  'account-distribution',
  'revenue-coverage',
  'role-gap',
  'themes',
  'response-rate',
  'loop-closure',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type RoleGapReport = Awaited<ReturnType<AccountReportsService['roleGaps']>>;
export type AccountDistributionReport = Awaited<ReturnType<AccountReportsService['accountDistribution']>>;
export type ArrWeightedReport = Awaited<ReturnType<AccountReportsService['arrWeighted']>>;
export type RevenueCoverageReport = Awaited<ReturnType<AccountReportsService['revenueCoverage']>>;
export type NpsByArrReport = { streams: PerStream<NpsByArrStream> };
export type ResponseRateReport = { streams: PerStream<ResponseRateLine> };

/** Each report's answer, as its service gives it. */
export interface ReportAnswers {
  trend: TrendReport;
  segments: SegmentReport;
  'nps-by-arr': NpsByArrReport;
  'arr-weighted': ArrWeightedReport;
  'account-distribution': AccountDistributionReport;
  'revenue-coverage': RevenueCoverageReport;
  'role-gap': RoleGapReport;
  themes: ThemeReport;
  'response-rate': ResponseRateReport;
  'loop-closure': LoopClosureReport;
}

export type CellValue = string | number | boolean | null;
export type TableRow = Readonly<Record<string, CellValue>>;

/**
 * How a page shows a column: `nps` an NPS or interval end (rounded at display), `share` a
 * fraction 0–1 (as a percent), `money` a decimal string, `flag` true/false, `number` a
 * non-integer such as the Kish effective n, `id` an identifier, `text` anything else.
 */
export type ColumnKind = 'text' | 'id' | 'count' | 'nps' | 'share' | 'money' | 'number' | 'flag';

export interface TableColumn {
  /** The CSV header and the row's key. */
  readonly key: string;
  /** The column's name on the page. */
  readonly header: string;
  readonly kind: ColumnKind;
  /** What /docs says the column holds. */
  readonly about: string;
  /** For a flag: the word a page shows when it is true (`low sample`, `emerging`). */
  readonly flag?: string;
}

/** Account names by id, for the tables that list accounts. */
export type AccountNames = ReadonlyMap<string, string>;

export interface TableDefinition<A> {
  /** What the table lists, as a caption says it. */
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: (answer: A, stream: Stream, names: AccountNames) => TableRow[];
}

export interface ReportDefinition<A> {
  /** The streams the report has: the account reports of rules §7 and §9 are relational only. */
  readonly streams: readonly Stream[];
  /** The query parameters the report takes, as its JSON route names them. */
  readonly filters: readonly string[];
  /** Whether its tables list accounts (their names are read beside the report). */
  readonly listsAccounts: boolean;
  readonly tables: Readonly<Record<string, TableDefinition<A>>>;
}

const BOTH: readonly Stream[] = ['relational', 'transactional'];
const RELATIONAL: readonly Stream[] = ['relational'];
/** The filters of every report over responses. */
export const RESPONSE_FILTERS = ['from', 'to', 'trigger', 'tier', 'arrBand', 'tenureBand', 'role', 'quadrant'] as const;
const ACCOUNT_PAGE_FILTERS = [...RESPONSE_FILTERS, 'limit', 'offset'];

const column = (key: string, header: string, kind: ColumnKind, about: string, flag?: string): TableColumn => ({ key, header, kind, about, flag });

/** The columns of an NPS summary (rules §1): counts, exact NPS, the adjusted-Wald interval, the low-sample mark. */
export const SUMMARY_COLUMNS: readonly TableColumn[] = [
  column('responses', 'Responses', 'count', 'n'),
  column('promoters', 'Promoters', 'count', 'scores 9–10'),
  column('passives', 'Passives', 'count', 'scores 7–8'),
  column('detractors', 'Detractors', 'count', 'scores 0–6'),
  column('nps', 'NPS', 'nps', 'exact 100 × (P − D) / n, not rounded; empty when n = 0'),
  column('interval_low', '95 % low', 'nps', 'adjusted-Wald 95 % interval, lower end; empty when n = 0'),
  column('interval_high', '95 % high', 'nps', 'adjusted-Wald 95 % interval, upper end; empty when n = 0'),
  column('low_sample', 'Low sample', 'flag', 'true when n < 30', 'low sample'),
];

export function summaryCells(s: NpsSummary): Record<string, CellValue> {
  return {
    responses: s.n,
    promoters: s.promoters,
    passives: s.passives,
    detractors: s.detractors,
    nps: s.nps,
    interval_low: s.interval?.low ?? null,
    interval_high: s.interval?.high ?? null,
    low_sample: s.lowSample,
  };
}

const LOOP_COLUMNS: readonly TableColumn[] = [
  column('closed', 'Closed', 'count', 'follow-ups completed'),
  column('sla_met', 'On time', 'count', 'of them, completed by their due time'),
  column('overdue', 'Overdue', 'count', 'not completed and past due'),
  column('open', 'Open', 'count', 'not completed, not yet due (in neither side of the rate)'),
  column('rate', 'Closure rate', 'share', 'closed / (closed + overdue), 0–1; empty when both are 0'),
  column('below_alert_threshold', 'Below threshold', 'flag', 'true when the rate is below the alert threshold (70 % by default)', 'below threshold'),
];

const loopCells = (l: LoopClosure): Record<string, CellValue> => ({
  closed: l.closed,
  sla_met: l.slaMet,
  overdue: l.overdue,
  open: l.open,
  rate: l.rate,
  below_alert_threshold: l.belowAlertThreshold,
});

/** Segment tables by their name in a URL. */
export const SEGMENT_TABLES: Readonly<Record<string, Segment>> = { tier: 'tier', 'arr-band': 'arrBand', 'tenure-band': 'tenureBand', role: 'role', quadrant: 'quadrant' };
const SEGMENT_TITLES: Record<Segment, string> = { tier: 'tier', arrBand: 'ARR band', tenureBand: 'tenure band', role: 'role', quadrant: 'health quadrant' };

/** The order a segment's values are listed in: the rules' own order for the fixed ones, tiers by name; "unknown" last. */
const SEGMENT_ORDER: Record<Segment, readonly string[] | null> = {
  tier: null,
  arrBand: ARR_BANDS,
  tenureBand: ['0_90d', '91_180d', '181_365d', '1_2y', 'over_2y'],
  role: ROLE_PRECEDENCE,
  quadrant: HEALTH_QUADRANTS,
};

function inSegmentOrder(segment: Segment, values: string[]): string[] {
  const order = SEGMENT_ORDER[segment];
  const rank = (v: string) => (v === 'unknown' ? Number.MAX_SAFE_INTEGER : order ? order.indexOf(v) : -1);
  return [...values].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function segmentTable(segment: Segment): TableDefinition<SegmentReport> {
  return {
    title: `NPS by ${SEGMENT_TITLES[segment]}`,
    columns: [
      column(
        'value',
        SEGMENT_TITLES[segment].replace(/^./, (c) => c.toUpperCase()),
        'text',
        `the ${SEGMENT_TITLES[segment]} stored with the response ("unknown" for none)`,
      ),
      ...SUMMARY_COLUMNS,
    ],
    rows: (answer, stream) => {
      const values = answer.streams[stream][segment];
      return inSegmentOrder(segment, Object.keys(values)).map((value) => ({ value, ...summaryCells(values[value]) }));
    },
  };
}

const accountColumns = (): TableColumn[] => [
  column('account_id', 'Account id', 'id', 'the account (nps-bridge id)'),
  column('account_name', 'Account', 'text', "the account's name in the CRM"),
];

const TREND: ReportDefinition<TrendReport> = {
  streams: BOTH,
  filters: [...RESPONSE_FILTERS, 'granularity'],
  listsAccounts: false,
  tables: {
    periods: {
      title: 'NPS per period',
      columns: [
        column('period', 'Period', 'text', 'YYYY-MM or YYYY-Qn (UTC)'),
        ...SUMMARY_COLUMNS,
        column('change', 'Change', 'nps', 'NPS of this period − the one before, exact; empty for the first period or when either has n = 0'),
        column('change_significant', 'Significant', 'flag', 'whether the change is significant at 95 % (rules §1)', 'significant'),
      ],
      rows: (answer, stream) =>
        answer.streams[stream].map((point) => ({
          period: point.period,
          ...summaryCells(point.summary),
          change: point.change?.change ?? null,
          change_significant: point.change ? point.change.significant : null,
        })),
    },
  },
};

const SEGMENTS: ReportDefinition<SegmentReport> = {
  streams: BOTH,
  filters: RESPONSE_FILTERS,
  listsAccounts: false,
  tables: Object.fromEntries(Object.entries(SEGMENT_TABLES).map(([name, segment]) => [name, segmentTable(segment)])),
};

const NPS_BY_ARR: ReportDefinition<NpsByArrReport> = {
  streams: BOTH,
  filters: RESPONSE_FILTERS,
  listsAccounts: false,
  tables: {
    'arr-bands': {
      title: 'NPS by ARR band',
      columns: [column('arr_band', 'ARR band', 'text', 'the ARR band stored with the response ("unknown" for none)'), ...SUMMARY_COLUMNS],
      rows: (answer, stream) => answer.streams[stream].byBand.map((b) => ({ arr_band: b.arrBand, ...summaryCells(b.summary) })),
    },
    quadrants: {
      title: 'NPS by health quadrant, with the ARR in each',
      columns: [
        column('quadrant', 'Quadrant', 'text', 'the health quadrant stored with the response'),
        column('accounts', 'Active accounts', 'count', 'active accounts in the quadrant now'),
        column('arr', 'ARR', 'money', 'their ARR (decimal)'),
        ...SUMMARY_COLUMNS,
      ],
      rows: (answer, stream) => answer.streams[stream].byQuadrant.map((q) => ({ quadrant: q.quadrant, accounts: q.accounts, arr: q.arr, ...summaryCells(q.summary) })),
    },
  },
};

const ARR_WEIGHTED: ReportDefinition<ArrWeightedReport> = {
  streams: BOTH,
  filters: RESPONSE_FILTERS,
  listsAccounts: false,
  tables: {
    summary: {
      title: 'ARR-weighted NPS beside the respondent NPS',
      columns: [
        column('measure', 'Measure', 'text', 'arr_weighted (each respondent weighted by account ARR / the account’s responses) or respondents (unweighted)'),
        column('n', 'n', 'number', 'the Kish effective sample size (Σw)² / Σw² for arr_weighted, the responses for respondents'),
        column('nps', 'NPS', 'nps', 'exact; empty when undefined'),
        column('interval_low', '95 % low', 'nps', 'adjusted-Wald 95 % interval, lower end'),
        column('interval_high', '95 % high', 'nps', 'adjusted-Wald 95 % interval, upper end'),
        column('low_sample', 'Low sample', 'flag', 'true when n < 30', 'low sample'),
        column('respondents', 'Respondents', 'count', 'responses counted'),
        column('total_arr', 'ARR weight', 'number', 'arr_weighted: Σw, the ARR of the accounts that responded'),
      ],
      rows: (answer, stream) => {
        const { weighted, respondents } = answer.streams[stream];
        return [
          {
            measure: 'arr_weighted',
            n: weighted.kishN,
            nps: weighted.nps,
            interval_low: weighted.interval?.low ?? null,
            interval_high: weighted.interval?.high ?? null,
            low_sample: weighted.lowSample,
            respondents: weighted.respondents,
            total_arr: weighted.totalWeight,
          },
          {
            measure: 'respondents',
            n: respondents.n,
            nps: respondents.nps,
            interval_low: respondents.interval?.low ?? null,
            interval_high: respondents.interval?.high ?? null,
            low_sample: respondents.lowSample,
            respondents: respondents.n,
            total_arr: null,
          },
        ];
      },
    },
  },
};

const ACCOUNT_DISTRIBUTION: ReportDefinition<AccountDistributionReport> = {
  streams: RELATIONAL,
  filters: ACCOUNT_PAGE_FILTERS,
  listsAccounts: true,
  tables: {
    summary: {
      title: 'NPS over accounts beside the NPS over respondents',
      columns: [column('basis', 'Counted', 'text', 'accounts (each classed once by its sentiment) or respondents (each person’s latest answer)'), ...SUMMARY_COLUMNS],
      rows: (answer) => [
        { basis: 'accounts', ...summaryCells(answer.accountNps) },
        { basis: 'respondents', ...summaryCells(answer.respondentNps) },
      ],
    },
    accounts: {
      title: 'Accounts by sentiment (one page, by account id)',
      columns: [
        ...accountColumns(),
        column('category', 'Counts as', 'text', 'the class the account counts as: promoter, passive or detractor'),
        column('mean_score', 'Mean score', 'number', 'the mean of the answers the class is taken from'),
        column('basis', 'From', 'text', 'decision_makers or all_respondents'),
        column('respondents', 'Respondents', 'count', 'people whose latest answer counts'),
        column('account_nps', 'Account NPS', 'nps', "the account's NPS (each person's latest answer)"),
      ],
      rows: (answer, _stream, names) =>
        answer.accounts.map((a) => ({
          account_id: a.accountId,
          account_name: names.get(a.accountId) ?? null,
          category: a.sentiment.category,
          mean_score: a.sentiment.meanScore,
          basis: a.sentiment.basis,
          respondents: a.sentiment.respondents,
          account_nps: a.accountNps.nps,
        })),
    },
  },
};

const REVENUE_COVERAGE: ReportDefinition<RevenueCoverageReport> = {
  streams: RELATIONAL,
  filters: ACCOUNT_PAGE_FILTERS,
  listsAccounts: true,
  tables: {
    summary: {
      title: 'Revenue coverage against its target',
      columns: [
        column('as_of', 'As of', 'text', 'the end of the trailing window (ISO 8601, UTC)'),
        column('window_days', 'Window (days)', 'count', 'the trailing window'),
        column('active_arr', 'Active ARR', 'money', 'ARR of active accounts (decimal)'),
        column('covered_arr', 'Covered ARR', 'money', 'of it, accounts with a decision maker heard in the window'),
        column('share', 'Coverage', 'share', 'covered / active ARR, 0–1; empty when active ARR is 0'),
        column('target_percent', 'Target (%)', 'number', 'the coverage target in percent'),
        column('below_target', 'Below target', 'flag', 'true when the share is below the target', 'below target'),
        column('active_accounts', 'Active accounts', 'count', 'active accounts'),
        column('covered_accounts', 'Covered accounts', 'count', 'of them, with a decision maker heard in the window'),
      ],
      rows: (answer) => [
        {
          as_of: answer.asOf,
          window_days: answer.windowDays,
          active_arr: answer.activeArr,
          covered_arr: answer.coveredArr,
          share: answer.share,
          target_percent: answer.targetPercent,
          below_target: answer.belowTarget,
          active_accounts: answer.activeAccounts,
          covered_accounts: answer.coveredAccounts,
        },
      ],
    },
    accounts: {
      title: 'Accounts covered and not covered (one page of each, by account id)',
      columns: [...accountColumns(), column('covered', 'Covered', 'flag', 'true when a decision maker responded in the window', 'covered')],
      rows: (answer, _stream, names) => [
        ...answer.coveredAccountIds.map((id) => ({ account_id: id, account_name: names.get(id) ?? null, covered: true })),
        ...answer.uncoveredAccountIds.map((id) => ({ account_id: id, account_name: names.get(id) ?? null, covered: false })),
      ],
    },
  },
};

const ROLE_GAP: ReportDefinition<RoleGapReport> = {
  streams: RELATIONAL,
  filters: ACCOUNT_PAGE_FILTERS,
  listsAccounts: true,
  tables: {
    accounts: {
      title: 'Accounts with decision makers and end users heard (one page, by account id)',
      columns: [
        ...accountColumns(),
        column('decision_makers', 'Decision makers', 'count', "decision makers' latest answers"),
        column('decision_maker_nps', 'Decision-maker NPS', 'nps', 'exact'),
        column('end_users', 'End users', 'count', "end users' latest answers"),
        column('end_user_nps', 'End-user NPS', 'nps', 'exact'),
        column('gap', 'Gap', 'nps', '|decision-maker NPS − end-user NPS|, exact'),
        column('display_gap', 'Gap (rounded)', 'count', 'the gap rounded once, half away from zero'),
        column('flagged', 'Flagged', 'flag', 'true when the gap is above the flag threshold (15 points by default)', 'flagged'),
      ],
      rows: (answer, _stream, names) =>
        answer.accounts.map((a) => ({
          account_id: a.accountId,
          account_name: names.get(a.accountId) ?? null,
          decision_makers: a.decisionMakers.n,
          decision_maker_nps: a.decisionMakers.nps,
          end_users: a.endUsers.n,
          end_user_nps: a.endUsers.nps,
          gap: a.gap,
          display_gap: a.displayGap,
          flagged: a.flagged,
        })),
    },
  },
};

const THEMES: ReportDefinition<ThemeReport> = {
  streams: BOTH,
  filters: RESPONSE_FILTERS,
  listsAccounts: false,
  tables: {
    themes: {
      title: 'Themes per quarter',
      columns: [
        column('quarter', 'Quarter', 'text', 'YYYY-Qn (UTC)'),
        column('theme', 'Theme', 'text', 'feature_gap, performance, support_quality, pricing, competitor or integration_request'),
        ...SUMMARY_COLUMNS,
        column('emerging', 'Emerging', 'flag', 'true when detractor comments with the theme in the quarter reached the program’s threshold', 'emerging'),
      ],
      rows: (answer, stream) =>
        answer.streams[stream].flatMap((q) => q.themes.map((t) => ({ quarter: q.quarter, theme: t.theme, ...summaryCells(t.summary), emerging: t.emerging }))),
    },
  },
};

const RESPONSE_RATE: ReportDefinition<ResponseRateReport> = {
  streams: BOTH,
  filters: ['from', 'to', 'trigger'],
  listsAccounts: false,
  tables: {
    rate: {
      title: 'Response rate',
      columns: [
        column('sent', 'Surveys sent', 'count', 'surveys sent in the range'),
        column('responses', 'Answered', 'count', 'of them, the ones answered'),
        column('rate', 'Response rate', 'share', 'answered / sent, 0–1; empty when nothing was sent'),
      ],
      rows: (answer, stream) => {
        const line = answer.streams[stream];
        return [{ sent: line.sent, responses: line.responses, rate: line.rate }];
      },
    },
    skips: {
      title: 'Surveys skipped or cancelled, by reason',
      columns: [
        column('reason', 'Reason', 'text', 'why the survey was not sent (suppressed, too_late, capacity, …)'),
        column('surveys', 'Surveys', 'count', 'surveys planned in the range'),
      ],
      rows: (answer, stream) => Object.entries(answer.streams[stream].skipsByReason).map(([reason, surveys]) => ({ reason, surveys })),
    },
  },
};

/** Loop-closure segments by the name the report gives them. */
const LOOP_SEGMENTS = ['tier', 'arrBand', 'tenureBand', 'role'] as const;

const LOOP_CLOSURE: ReportDefinition<LoopClosureReport> = {
  streams: BOTH,
  filters: ['from', 'to'],
  listsAccounts: false,
  tables: {
    categories: {
      title: 'Loop closure by category',
      columns: [column('category', 'Category', 'text', 'all, detractor, passive or promoter'), ...LOOP_COLUMNS],
      rows: (answer, stream) => {
        const own = answer.streams[stream];
        return [{ category: 'all', ...loopCells(own.overall) }, ...(['detractor', 'passive', 'promoter'] as const).map((c) => ({ category: c, ...loopCells(own.byCategory[c]) }))];
      },
    },
    segments: {
      title: 'Loop closure by segment',
      columns: [
        column('segment', 'Segment', 'text', 'tier, arrBand, tenureBand or role (stored with the response)'),
        column('value', 'Value', 'text', 'the segment’s value'),
        ...LOOP_COLUMNS,
      ],
      rows: (answer, stream) =>
        LOOP_SEGMENTS.flatMap((segment) => Object.entries(answer.streams[stream].bySegment[segment]).map(([value, l]) => ({ segment, value, ...loopCells(l) }))),
    },
  },
};

/** Every report's tables. */
export const REPORT_TABLES: { readonly [R in ReportName]: ReportDefinition<ReportAnswers[R]> } = {
  trend: TREND,
  segments: SEGMENTS,
  'nps-by-arr': NPS_BY_ARR,
  'arr-weighted': ARR_WEIGHTED,
  'account-distribution': ACCOUNT_DISTRIBUTION,
  'revenue-coverage': REVENUE_COVERAGE,
  'role-gap': ROLE_GAP,
  themes: THEMES,
  'response-rate': RESPONSE_RATE,
  'loop-closure': LOOP_CLOSURE,
};

export const isReportName = (value: string): value is ReportName => (REPORT_NAMES as readonly string[]).includes(value);

/** A table as rows, ready to show or to send. */
export interface ReportTable {
  readonly report: ReportName;
  readonly name: string;
  readonly stream: Stream;
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
}

/** One table of a report's answer for one stream. The caller checked the table's name (tableNamesOf). */
export function reportTable<R extends ReportName>(report: R, name: string, answer: ReportAnswers[R], stream: Stream, names: AccountNames = new Map()): ReportTable {
  const definition = (REPORT_TABLES[report] as ReportDefinition<ReportAnswers[R]>).tables[name];
  if (!definition) throw new RangeError(`report ${report} has no table ${name}`);
  return { report, name, stream, title: definition.title, columns: definition.columns, rows: definition.rows(answer, stream, names) };
}

export const tableNamesOf = (report: ReportName): string[] => Object.keys(REPORT_TABLES[report].tables);

/** A report's tables with their titles and columns, without rows (for documentation). */
export function tableShapesOf(report: ReportName): Array<{ name: string; title: string; columns: readonly TableColumn[] }> {
  const tables: Readonly<Record<string, { title: string; columns: readonly TableColumn[] }>> = REPORT_TABLES[report].tables;
  return Object.entries(tables).map(([name, t]) => ({ name, title: t.title, columns: t.columns }));
}

/** The account ids a report's answer lists, whose names its tables show. */
export function accountIdsOf(report: ReportName, answer: ReportAnswers[ReportName]): string[] {
  if (report === 'role-gap') return (answer as RoleGapReport).accounts.map((a) => a.accountId);
  if (report === 'account-distribution') return (answer as AccountDistributionReport).accounts.map((a) => a.accountId);
  if (report === 'revenue-coverage') return [...(answer as RevenueCoverageReport).coveredAccountIds, ...(answer as RevenueCoverageReport).uncoveredAccountIds];
  return [];
}

/**
 * A row as a CSV record: empty for nothing, true/false for flags, numbers exactly as the report
 * has them (no rounding: that is for displays), text a spreadsheet could take for a formula
 * (a CRM's tier or account name) behind an apostrophe.
 */
export function csvRecord(columns: readonly TableColumn[], row: TableRow): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, kind } of columns) {
    const value = row[key] ?? null;
    record[key] = value === null ? '' : typeof value === 'string' ? (kind === 'text' ? spreadsheetSafe(value) : value) : String(value);
  }
  return record;
}
