import type { EChartsOption } from 'echarts';
import type { ThemeReport, TrendPoint } from '@libs/app/src/reports/nps-reports.service';
import type { AccountDistributionReport, NpsByArrReport, RevenueCoverageReport, ResponseRateReport } from '@libs/app/src/reports/report-tables';
import type { LoopClosureReport } from '@libs/app/src/reports/loop-closure.service';
import type { NpsSummary, Stream } from '@libs/nps/src';
import { ARR_BAND_LABELS, CATEGORY_LABELS, countText, labelOf, npsText, sampleText, shareText, THEME_LABELS } from './report-format';
import { ChartSpec, labelled } from '../svg-chart';

/**
 * The dashboard's charts as ECharts options, each with its text alternative (a sentence; the
 * table beside each chart lists every number). Colours keep 3:1 against white and never carry
 * meaning alone: every series has a legend entry or a label.
 */
const COLOUR = {
  nps: '#0b57d0',
  band: '#0b57d0',
  lowSample: '#7a4f01',
  promoter: '#146c2e',
  passive: '#6b6f76',
  detractor: '#b3261e',
  grid: '#d0d4da',
  text: '#1a1a1a',
  muted: '#4a4a4a',
};
/** Drawn narrow and scaled to the column, so its text stays readable on a phone (about 11 px at 390 px). */
const WIDTH = 480;
const FONT = 15;
const AXIS = { axisLabel: { color: COLOUR.muted, fontSize: FONT }, axisLine: { lineStyle: { color: COLOUR.muted } }, splitLine: { lineStyle: { color: COLOUR.grid } } };
const NPS_AXIS = { type: 'value' as const, min: -100, max: 100, interval: 50, ...AXIS };
const LEGEND = { bottom: 0, textStyle: { color: COLOUR.text, fontSize: FONT }, itemGap: 24 };
/** How a series shows its values' labels; the text itself rides on each data item (`labelled`). */
const label = (position: 'top' | 'right' | 'inside' = 'top') => ({ show: true, position, color: COLOUR.text, fontSize: FONT });
/** A bar from fewer than 30 responses: light, with a dashed outline that keeps 3:1 against the page. */
const LOW_SAMPLE_BAR = { color: '#d3e3fd', borderColor: COLOUR.nps, borderWidth: 2, borderType: 'dashed' as const };
const barHeight = (rows: number) => 80 + rows * 40;

/** "2026-Q2 +20 (n 5, low sample, 95 % interval -20 to +53)". */
const pointText = (period: string, s: NpsSummary) =>
  `${period} ${npsText(s.nps)} (${sampleText(s.n, s.lowSample)}${s.interval ? `, 95 % interval ${npsText(s.interval.low)} to ${npsText(s.interval.high)}` : ''})`;

/** NPS per period as a line, the 95 % interval as a band around it, low-sample periods marked with a hollow diamond. */
export function trendChart(id: string, stream: Stream, granularity: string, points: TrendPoint[]): ChartSpec | null {
  const heard = points.filter((p) => p.summary.n > 0);
  if (!heard.length) return null;
  const low = points.map((p) => p.summary.interval?.low ?? null);
  // The band is drawn as the interval's width stacked on its lower end.
  const width = points.map((p) => (p.summary.interval ? p.summary.interval.high - p.summary.interval.low : null));
  const nps = points.map((p) => p.summary.nps);
  const lowSample = points.map((p) => (p.summary.lowSample && p.summary.nps !== null ? p.summary.nps : null));
  const marked = heard.filter((p) => p.summary.lowSample).length;
  const latest = heard[heard.length - 1];
  const best = heard.reduce((a, b) => ((b.summary.nps ?? 0) > (a.summary.nps ?? 0) ? b : a));
  const worst = heard.reduce((a, b) => ((b.summary.nps ?? 0) < (a.summary.nps ?? 0) ? b : a));
  const sentence =
    `${stream === 'relational' ? 'Relational' : 'Transactional'} NPS by ${granularity}, ${points[0].period} to ${points[points.length - 1].period}. ` +
    `Latest: ${pointText(latest.period, latest.summary)}. Highest: ${best.period} ${npsText(best.summary.nps)}; lowest: ${worst.period} ${npsText(worst.summary.nps)}. ` +
    `${marked} of ${heard.length} periods with responses have a low sample (n < 30). The table below lists every period.`;
  const option: EChartsOption = {
    grid: { left: 56, right: 24, top: 24, bottom: 72 },
    legend: { ...LEGEND, data: ['NPS', '95 % interval', ...(marked ? ['Low sample (n < 30)'] : [])] },
    xAxis: { type: 'category', data: points.map((p) => p.period), boundaryGap: false, ...AXIS, axisLabel: { ...AXIS.axisLabel, hideOverlap: true } },
    yAxis: NPS_AXIS,
    series: [
      { name: 'interval base', type: 'line', data: low, stack: 'interval', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
      {
        name: '95 % interval',
        type: 'line',
        data: width,
        stack: 'interval',
        stackStrategy: 'all',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: COLOUR.band, opacity: 0.16 },
        itemStyle: { color: '#a8c7fa' },
        silent: true,
      },
      {
        name: 'NPS',
        type: 'line',
        data: points.length <= 12 ? labelled(nps, npsText) : nps,
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 8,
        lineStyle: { color: COLOUR.nps, width: 3 },
        itemStyle: { color: COLOUR.nps },
        label: points.length <= 12 ? label() : undefined,
      },
      ...(marked
        ? [
            {
              name: 'Low sample (n < 30)',
              type: 'scatter' as const,
              data: lowSample,
              symbol: 'emptyDiamond',
              symbolSize: 16,
              itemStyle: { color: COLOUR.lowSample, borderWidth: 2 },
            },
          ]
        : []),
    ],
  };
  return { id, label: sentence, width: WIDTH, height: 320, option };
}

/** NPS per value of one segment as horizontal bars. */
export function segmentChart(id: string, what: string, rows: Array<{ label: string; summary: NpsSummary }>): ChartSpec | null {
  const heard = rows.filter((r) => r.summary.nps !== null);
  if (!heard.length) return null;
  const sentence = `NPS by ${what}: ${heard.map((r) => `${r.label} ${npsText(r.summary.nps)} (${sampleText(r.summary.n, r.summary.lowSample)})`).join('; ')}.`;
  const option: EChartsOption = {
    grid: { left: 130, right: 56, top: 16, bottom: 40 },
    xAxis: NPS_AXIS,
    yAxis: { type: 'category', data: heard.map((r) => r.label), inverse: true, ...AXIS, axisLabel: { ...AXIS.axisLabel, width: 120, overflow: 'break' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        data: labelled(
          heard.map((r) => ({ value: r.summary.nps, itemStyle: r.summary.lowSample ? LOW_SAMPLE_BAR : { color: COLOUR.nps } })),
          (v) => npsText(v),
        ),
        label: label('right'),
      },
    ],
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(heard.length), option };
}

const categorySeries = (counts: Array<{ promoters: number; passives: number; detractors: number }>, stack = 'counts') =>
  (['detractors', 'passives', 'promoters'] as const).map((key) => ({
    name: CATEGORY_LABELS[key.slice(0, -1)],
    type: 'bar' as const,
    stack,
    barMaxWidth: 26,
    data: counts.map((c) => c[key]),
    itemStyle: { color: COLOUR[key.slice(0, -1) as 'promoter' | 'passive' | 'detractor'] },
  }));

/** Responses per ARR band, stacked by category. */
export function npsByArrChart(id: string, stream: Stream, answer: NpsByArrReport): ChartSpec | null {
  const bands = answer.streams[stream].byBand.filter((b) => b.summary.n > 0);
  if (!bands.length) return null;
  const names = bands.map((b) => labelOf(ARR_BAND_LABELS, b.arrBand));
  const sentence = `Responses by ARR band and category: ${bands
    .map((b, i) => `${names[i]}: ${b.summary.promoters} promoters, ${b.summary.passives} passives, ${b.summary.detractors} detractors, NPS ${npsText(b.summary.nps)}`)
    .join('; ')}.`;
  const option: EChartsOption = {
    grid: { left: 120, right: 24, top: 16, bottom: 64 },
    legend: LEGEND,
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: names, inverse: true, ...AXIS },
    series: categorySeries(bands.map((b) => b.summary)),
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(bands.length) + 24, option };
}

/** Accounts by the class they count as (rules §9 account NPS distribution). */
export function accountDistributionChart(id: string, answer: AccountDistributionReport): ChartSpec | null {
  const s = answer.accountNps;
  if (s.n === 0) return null;
  const sentence =
    `Of ${countText(s.n)} accounts heard, ${s.promoters} count as promoters, ${s.passives} as passives and ${s.detractors} as detractors: ` +
    `NPS over accounts ${npsText(s.nps)}, beside ${npsText(answer.respondentNps.nps)} over respondents.`;
  const option: EChartsOption = {
    grid: { left: 120, right: 48, top: 16, bottom: 40 },
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: ['Promoters', 'Passives', 'Detractors'], inverse: true, ...AXIS },
    series: [
      {
        type: 'bar',
        barMaxWidth: 26,
        data: labelled(
          [
            { value: s.promoters, itemStyle: { color: COLOUR.promoter } },
            { value: s.passives, itemStyle: { color: COLOUR.passive } },
            { value: s.detractors, itemStyle: { color: COLOUR.detractor } },
          ],
          (v) => countText(v),
        ),
        label: label('right'),
      },
    ],
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(3), option };
}

/** Covered share of active ARR as one bar, the target as a line. */
export function coverageChart(id: string, answer: RevenueCoverageReport): ChartSpec | null {
  if (answer.share === null) return null;
  const sentence = `Revenue coverage ${shareText(answer.share)} of active ARR against a target of ${answer.targetPercent} %: ${answer.belowTarget ? 'below' : 'at or above'} target.`;
  const option: EChartsOption = {
    grid: { left: 96, right: 48, top: 32, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 100, interval: 20, ...AXIS, axisLabel: { ...AXIS.axisLabel, formatter: '{value} %' } },
    yAxis: { type: 'category', data: ['Covered'], ...AXIS },
    series: [
      {
        type: 'bar',
        barMaxWidth: 32,
        data: labelled([{ value: answer.share * 100, itemStyle: { color: answer.belowTarget ? COLOUR.detractor : COLOUR.promoter } }], () => shareText(answer.share)),
        label: label('right'),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: COLOUR.text, type: 'dashed', width: 2 },
          label: { formatter: `Target ${answer.targetPercent} %`, color: COLOUR.text, fontSize: FONT },
          data: [{ xAxis: answer.targetPercent }],
        },
      },
    ],
  };
  return { id, label: sentence, width: WIDTH, height: 150, option };
}

/** The themes of the latest quarter in range, stacked by category; emerging ones named so. */
export function themesChart(id: string, stream: Stream, answer: ThemeReport): ChartSpec | null {
  const quarters = answer.streams[stream];
  const latest = quarters[quarters.length - 1];
  if (!latest || !latest.themes.length) return null;
  const names = latest.themes.map((t) => `${labelOf(THEME_LABELS, t.theme)}${t.emerging ? '\n(emerging)' : ''}`);
  const sentence = `Themes in ${latest.quarter}: ${latest.themes
    .map((t, i) => `${names[i].replace('\n', ' ')} in ${t.summary.n} ${t.summary.n === 1 ? 'response' : 'responses'} (${t.summary.detractors} from detractors)`)
    .join('; ')}.`;
  const option: EChartsOption = {
    grid: { left: 170, right: 24, top: 16, bottom: 64 },
    legend: LEGEND,
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: names, inverse: true, ...AXIS, axisLabel: { ...AXIS.axisLabel, width: 160, overflow: 'break' } },
    series: categorySeries(latest.themes.map((t) => t.summary)),
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(latest.themes.length) + 24, option };
}

/** Surveys not sent, by reason. */
export function skipsChart(id: string, stream: Stream, answer: ResponseRateReport): ChartSpec | null {
  const skips = Object.entries(answer.streams[stream].skipsByReason);
  if (!skips.length) return null;
  const sentence = `Surveys skipped or cancelled by reason: ${skips.map(([reason, count]) => `${reason.replace(/_/g, ' ')} ${count}`).join(', ')}.`;
  const option: EChartsOption = {
    grid: { left: 130, right: 48, top: 16, bottom: 40 },
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: skips.map(([reason]) => reason.replace(/_/g, ' ')), inverse: true, ...AXIS },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        data: labelled(
          skips.map(([, count]) => count),
          (v) => countText(v),
        ),
        itemStyle: { color: COLOUR.passive },
        label: label('right'),
      },
    ],
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(skips.length), option };
}

/** Loop-closure rate per category; a category below the alert threshold in red. */
export function loopClosureChart(id: string, stream: Stream, answer: LoopClosureReport): ChartSpec | null {
  const own = answer.streams[stream];
  const rows = [['all', own.overall] as const, ...(['detractor', 'passive', 'promoter'] as const).map((c) => [c, own.byCategory[c]] as const)].filter(([, l]) => l.rate !== null);
  if (!rows.length) return null;
  const sentence = `Loop closure (closed / (closed + overdue)): ${rows
    .map(([c, l]) => `${CATEGORY_LABELS[c]} ${shareText(l.rate)}${l.belowAlertThreshold ? ', below the alert threshold' : ''}`)
    .join('; ')}.`;
  const option: EChartsOption = {
    grid: { left: 110, right: 56, top: 16, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 100, interval: 20, ...AXIS, axisLabel: { ...AXIS.axisLabel, formatter: '{value} %' } },
    yAxis: { type: 'category', data: rows.map(([c]) => CATEGORY_LABELS[c]), inverse: true, ...AXIS },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        data: labelled(
          rows.map(([, l]) => ({ value: (l.rate ?? 0) * 100, itemStyle: { color: l.belowAlertThreshold ? COLOUR.detractor : COLOUR.promoter } })),
          (_v, i) => shareText(rows[i][1].rate),
        ),
        label: label('right'),
      },
    ],
  };
  return { id, label: sentence, width: WIDTH, height: barHeight(rows.length), option };
}
