import type { TrendPoint } from '@libs/app/src/reports/nps-reports.service';
import { PAGE_COLOURS as C } from '@libs/app/src/html/html';
import { wholeNps } from '../nps-words';
import { labelled, renderChart } from '../svg-chart';

/** The bars behind the line: each quarter's 95 % interval, light enough for the line and labels to read over them. */
const BAND = '#c9d7f2';

/**
 * One stream's NPS per quarter as a small SVG line chart (ECharts, server-side, no script; the
 * console's chart helper makes it CSP-clean and labels it): the exact NPS as the line, the
 * adjusted-Wald 95 % interval as a bar behind each point, low-sample quarters as hollow points. `label`
 * is its text alternative (the page also lists the numbers in a table).
 */
export function npsTrendSvg(id: string, points: readonly TrendPoint[], label: string): string {
  const low = points.map((p) => p.summary.interval?.low ?? null);
  const spread = points.map((p) => (p.summary.interval ? p.summary.interval.high - p.summary.interval.low : null));
  return renderChart({
    id,
    label,
    width: 640,
    height: 260,
    option: {
      grid: { left: 48, right: 24, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: points.map((p) => p.period), boundaryGap: true, axisLabel: { color: C.text }, axisLine: { lineStyle: { color: C.mutedText } } },
      yAxis: { type: 'value', min: -100, max: 100, interval: 50, axisLabel: { color: C.text }, splitLine: { lineStyle: { color: '#d9d9d9' } } },
      series: [
        // The interval as a bar from its low to its high: an invisible bar up to the low, the visible spread stacked on it (signs mixed, so every value stacks).
        { type: 'bar', data: low, stack: 'interval', stackStrategy: 'all', barWidth: 14, itemStyle: { color: 'rgba(0,0,0,0)' }, silent: true },
        { type: 'bar', data: spread, stack: 'interval', stackStrategy: 'all', barWidth: 14, itemStyle: { color: BAND }, silent: true },
        {
          type: 'line',
          data: labelled(
            points.map((p) => ({
              value: p.summary.nps,
              symbol: p.summary.lowSample ? 'emptyCircle' : 'circle',
              symbolSize: 10,
              itemStyle: { color: C.accent, borderWidth: 2 },
            })),
            wholeNps,
          ),
          clip: false,
          connectNulls: false,
          lineStyle: { color: C.accent, width: 3 },
          label: {
            show: true,
            position: 'right',
            distance: 8,
            color: C.text,
          },
        },
      ],
    },
  });
}
