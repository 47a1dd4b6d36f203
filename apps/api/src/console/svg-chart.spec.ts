import { accessibleSvg, drawChartUncached, labelled, renderChart } from './svg-chart';

describe('server-rendered charts', () => {
  const chart = () =>
    renderChart({
      id: 'chart-test',
      label: 'NPS by tier: enterprise +20 (n 5, low sample); <smb> & "mid" -13.',
      width: 480,
      height: 240,
      option: {
        legend: { bottom: 0 },
        xAxis: { type: 'category', data: ['enterprise', '<smb>', 'mid'] },
        yAxis: { type: 'value', min: -100, max: 100 },
        series: [
          { name: 'NPS', type: 'bar', data: [20, -13, 0], label: { show: true } },
          { name: 'Trend', type: 'line', data: [10, 0, -5] },
        ],
      },
    });

  it('leaves no inline style, style element or script in the SVG (the console CSP allows none)', () => {
    const svg = chart();
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).not.toMatch(/\sstyle=/);
    expect(svg).not.toMatch(/<style|<script/i);
    // ECharts' text styles became presentation attributes.
    expect(svg).toMatch(/<text [^>]*font-size="15px"/);
    expect(svg).toMatch(/<text [^>]*font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"/);
  });

  it('carries role="img" and its text alternative as aria-label and title, escaped', () => {
    const svg = chart();
    const text = 'NPS by tier: enterprise +20 (n 5, low sample); &lt;smb&gt; &amp; &quot;mid&quot; -13.';
    expect(svg).toMatch(new RegExp(`^<svg role="img" aria-label="${text.replace(/[()+]/g, '\\$&')}" focusable="false" class="chart-svg"`));
    expect(svg).toContain(`<title>${text}</title>`);
    // Category names from a CRM are text, never markup.
    expect(svg).toContain('&lt;smb&gt;');
    expect(svg).not.toContain('<smb>');
  });

  it('names its ids after the chart, so two charts on a page never share one', () => {
    const svg = chart();
    const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('chart-test-'))).toBe(true);
    for (const ref of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
    expect(svg).not.toMatch(/zr\d+-/);
  });

  it('turns style declarations into attributes the tag does not set already, and drops the rest', () => {
    const svg = accessibleSvg('<svg viewBox="0 0 1 1"><text fill="#111" style="font-size:12px;fill:#999;cursor:pointer;"></text></svg>', 'c', 'A chart');
    expect(svg).toBe(
      '<svg role="img" aria-label="A chart" focusable="false" class="chart-svg" viewBox="0 0 1 1"><title>A chart</title><text fill="#111" font-size="12px"></text></svg>',
    );
  });

  it('draws a spec seen lately once: the same spec gives the very drawing a fresh one gives, a changed number a new one', () => {
    const spec = (value: number) => ({
      id: 'chart-memo',
      label: `NPS ${value}`,
      width: 300,
      height: 200,
      option: { xAxis: { type: 'category' as const, data: ['a'] }, yAxis: { type: 'value' as const }, series: [{ type: 'bar' as const, data: [value] }] },
    });
    const first = renderChart(spec(41));
    expect(renderChart(spec(41))).toBe(first);
    expect(first).toBe(drawChartUncached(spec(41)));
    const changed = renderChart(spec(42));
    expect(changed).not.toBe(first);
    expect(changed).toBe(drawChartUncached(spec(42)));
  });

  it('shows label text carried by the data (no formatter function), and none for a missing value', () => {
    const svg = renderChart({
      id: 'chart-labels',
      label: 'labels',
      width: 300,
      height: 200,
      option: {
        xAxis: { type: 'category', data: ['a', 'b', 'c'] },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', data: labelled([20, null, { value: -5, itemStyle: { color: '#c00' } }], (v, i) => `{x} ${v > 0 ? '+' : ''}${v} #${i}`), label: { show: true } }],
      },
    });
    expect(svg).toContain('>x +20 #0<');
    expect(svg).toContain('>x -5 #2<');
    expect(svg).not.toContain('#1');
  });
});
