import { PAGE_COLOURS as C } from '@libs/app/src/html/html';

/**
 * The dashboard's part of the console stylesheet (console-css.ts includes it): the stream
 * switch, the filter form, the tiles, charts that scale to the column (their SVG carries no
 * style of its own) and the download links. Mobile first, like the rest.
 */
export const DASHBOARD_CSS = `
.stream-switch ul{list-style:none;margin:1rem 0;padding:0;display:grid;grid-template-columns:1fr;gap:.5rem}
.stream-switch a{display:block;min-height:2.75rem;padding:.5rem .875rem;border:2px solid ${C.accent};border-radius:.5rem;color:${C.accent};text-decoration:none}
.stream-switch a:hover .stream-name{text-decoration:underline}
.stream-switch a[aria-current]{background:${C.accent};color:${C.onAccent}}
.stream-switch .stream-name{display:block;font-weight:700}
.stream-switch .stream-about{display:block;font-size:.9375rem}
.filters{margin:1rem 0;padding:1rem;border:1px solid ${C.mutedText};border-radius:.5rem}
.filter-fields{display:grid;grid-template-columns:1fr;gap:0 1rem}
.filters .field{margin:0 0 .75rem}
.filters .actions{margin:.25rem 0 0}
input[type=date]{display:block;width:100%;max-width:28rem;min-height:2.75rem;padding:.5rem .625rem;font:inherit;color:${C.text};background:${C.background};border:1px solid ${C.mutedText};border-radius:.375rem}
.filter-summary{font-weight:600}
.toc ul{list-style:none;margin:.5rem 0 1rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.toc a{display:inline-flex;align-items:center;min-height:2.75rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:.5rem 0 1rem}
.tile{border:1px solid ${C.mutedText};border-radius:.5rem;padding:.75rem}
.tile dt{font-weight:600}
.tile dd{margin:0;overflow-wrap:anywhere}
section.report{border-top:1px solid ${C.mutedText};margin-top:2rem}
.chart{margin:.75rem 0;max-width:34rem}
.chart svg{display:block;width:100%;height:auto}
.report-table .download{margin:.5rem 0 0}
.report-table .download a{display:inline-flex;align-items:center;min-height:2.75rem;font-weight:600}
.alert-list{padding-left:1.25rem}
.alert-list li{margin:.25rem 0}
@media (max-width:47.99rem){
.report-table .data-table td{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:0 1rem}
.report-table .data-table td::before{display:inline}
}
@media (min-width:48rem){
.stream-switch ul{grid-template-columns:1fr 1fr;max-width:48rem}
.filter-fields{grid-template-columns:repeat(3,minmax(0,1fr))}
.filters input[type=text],.filters select,.filters input[type=date]{max-width:none}
}
`.trim();
