import { createHash } from 'node:crypto';
import * as echarts from 'echarts';
import { LRUCache } from 'lru-cache';

/*
 * Charts for every console page: server-rendered SVG (ECharts SSR) that the console's strict CSP
 * accepts, each with a text alternative. `echarts` is loaded whole: its per-chart entry points
 * (echarts/core, echarts/charts) are ES modules, which CommonJS cannot require on Node 20.
 */

/** A chart to draw: its option for ECharts, its size in SVG units, and the sentence that says what it shows. */
export interface ChartSpec {
  /** Unique on the page: prefixes the SVG's ids (clip paths, title). */
  id: string;
  /** The text alternative: the SVG's accessible name and title. */
  label: string;
  width: number;
  height: number;
  option: echarts.EChartsOption;
}

/** One font stack for every chart (no quotes: it becomes an attribute value). */
export const CHART_FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** CSS properties ECharts writes into `style` that SVG also takes as presentation attributes (which a strict CSP allows). */
const PRESENTATION = new Set([
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
  'text-decoration',
  'letter-spacing',
]);

const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One tag with its `style="…"` turned into presentation attributes (those the tag does not set already); anything else in it is dropped. */
function tagWithoutStyle(tag: string): string {
  const style = / style="([^"]*)"/.exec(tag);
  if (!style) return tag;
  const present = new Set([...tag.matchAll(/ ([a-zA-Z_:-]+)="/g)].map((m) => m[1]));
  const attributes = style[1]
    .split(';')
    .map((declaration) => declaration.split(':'))
    .filter(([name, ...value]) => value.length && PRESENTATION.has(name.trim()) && !present.has(name.trim()))
    .map(([name, ...value]) => ` ${name.trim()}="${attribute(value.join(':').trim())}"`)
    .join('');
  return tag.replace(style[0], attributes);
}

/**
 * ECharts' SSR output made fit for the console's CSP (`style-src 'self'`, no inline style or
 * script): `style` attributes become presentation attributes, the hover `<style>` block and the
 * classes it used go, as do ECharts' own `ecmeta_*` markers, and ids are named after the chart
 * (ECharts numbers its instances per process). It then carries role="img", its text alternative
 * as aria-label and as its title.
 */
export function accessibleSvg(svg: string, id: string, label: string): string {
  const cleaned = svg
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/(id="|url\(#)zr\d+-/g, `$1${id}-`)
    .replace(/<[a-zA-Z][^<>]*>/g, tagWithoutStyle)
    .replace(/\n+/g, '');
  if (/ style=|<style|<script/i.test(cleaned)) throw new Error(`chart ${id}: inline style or script left in its SVG`);
  const opening = /^<svg\b[^>]*>/.exec(cleaned);
  if (!opening) throw new Error(`chart ${id}: not an SVG`);
  const text = attribute(label);
  const head = opening[0].replace(/^<svg/, `<svg role="img" aria-label="${text}" focusable="false" class="chart-svg"`);
  return `${head}<title>${text}</title>${cleaned.slice(opening[0].length)}`;
}

type DataItem = number | null | { value: number | null; [key: string]: unknown };
/**
 * Data items carrying their label text (a fixed formatter string, braces dropped: ECharts reads
 * them as templates) instead of a formatter function, so an option is data alone and the same
 * numbers are drawn once (renderChart keeps no chart with a function in it).
 */
export const labelled = (items: readonly DataItem[], text: (value: number, index: number) => string) =>
  items.map((item, index) => {
    const own = item !== null && typeof item === 'object' ? item : { value: item };
    return { ...own, label: { formatter: own.value === null ? '' : text(own.value, index).replace(/[{}]/g, '') } };
  });

/** Draws a chart on the server (ECharts SSR, SVG renderer), no animation, and returns its cleaned, labelled SVG. */
function drawChart(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT, fontSize: 15, color: '#1a1a1a' }, ...spec.option });
    return accessibleSvg(chart.renderToSVGString(), spec.id, spec.label);
  } finally {
    chart.dispose();
  }
}

/**
 * Charts drawn lately, by everything that decides them (the whole spec: id, label, size and the
 * data in its option; a spec with a function in it is never kept). Drawing is a pure function of the spec and costs 5-30 ms of the event loop
 * per chart (a dashboard has a dozen); a page shown again over the same numbers, to the next
 * leader or after a refresh, reuses them. Bounded by size (an SVG is tens of kB).
 */
const drawn = new LRUCache<string, string>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (svg) => svg.length * 2 });

/** A chart's SVG: drawn (see drawChart), or the same spec's drawing when it was drawn lately. */
export function renderChart(spec: ChartSpec): string {
  // A function in the option (a label formatter) is code JSON cannot tell apart: such a chart is drawn each time.
  let withFunction = false;
  const json = JSON.stringify(spec, (_key, value: unknown) => {
    if (typeof value === 'function') withFunction = true;
    return value;
  });
  if (withFunction) return drawChart(spec);
  const key = createHash('sha256').update(json).digest('base64');
  let svg = drawn.get(key);
  if (svg === undefined) {
    svg = drawChart(spec);
    drawn.set(key, svg);
  }
  return svg;
}

/** Draws without the cache (tests compare the two). */
export const drawChartUncached = drawChart;
