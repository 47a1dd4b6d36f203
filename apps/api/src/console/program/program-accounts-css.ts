import { PAGE_COLOURS as C } from '@libs/app/src/html/html';

/**
 * The program, plan, account, person and alert pages' part of the console stylesheet
 * (console-css.ts includes it): setting fields and choices, the search and filter forms, the plan's
 * month calendars, the health quadrant grid and the trend charts (their SVG carries no style of its
 * own). Mobile first, like the rest.
 */
export const PROGRAM_ACCOUNTS_CSS = `
input[type=search]{display:block;width:100%;max-width:28rem;min-height:2.75rem;padding:.5rem .625rem;font:inherit;color:${C.text};background:${C.background};border:1px solid ${C.mutedText};border-radius:.375rem}
input.short{max-width:10rem}
.settings-group{border-top:1px solid ${C.mutedText};margin-top:1.5rem}
.settings-group > .muted{margin-bottom:1rem}
.setting-set legend{font-size:1rem}
.field.choices{border:0;padding:0;margin:0 0 1rem}
.field.choices legend{font-weight:600;padding:0;margin-bottom:.25rem}
.choice-list{display:flex;flex-wrap:wrap;gap:0 1.25rem}
.field .choice{display:inline-flex;align-items:center;gap:.5rem;min-height:2.75rem;margin:0;font-weight:400;cursor:pointer}
.choice input{width:1.25rem;height:1.25rem;margin:0;accent-color:${C.accent}}
.query-form{margin:1rem 0;padding:1rem;border:1px solid ${C.mutedText};border-radius:.5rem}
.query-form .field{margin:0 0 .75rem}
.query-form .actions{margin:.25rem 0 0}
.program-state{font-size:1.125rem}
.plain-list{list-style:none;margin:0;padding:0}
.calendars{display:grid;grid-template-columns:1fr;align-items:start;gap:1rem;margin:.5rem 0 1rem}
.calendar{border-collapse:collapse;width:100%;max-width:24rem;table-layout:fixed}
.calendar caption{text-align:left;font-weight:600;padding:.25rem 0}
.calendar th,.calendar td{border:1px solid ${C.mutedText};text-align:center;vertical-align:top;padding:0}
.calendar th{padding:.25rem 0;background:${C.choiceBackground};font-size:.875rem}
.calendar abbr{text-decoration:none}
.calendar td{height:3.25rem}
.calendar td.calendar-out{background:${C.choiceBackground}}
.calendar td.calendar-busy{background:#e8effc}
.calendar-date{display:block;font-size:.8125rem}
.calendar a{display:block;min-height:3.25rem;padding:.125rem;color:${C.text};text-decoration:none}
.calendar a:hover .calendar-date{text-decoration:underline}
.calendar-planned{display:block;font-weight:700;color:${C.accent}}
.calendar-skipped{display:inline-block;padding:0 .25rem;border:1px solid currentColor;border-radius:.25rem;font-size:.75rem;color:#7a4f01;background:${C.background}}
.plan-day{border-top:1px solid ${C.mutedText};margin-top:1.5rem}
.quadrant-grid{border-collapse:collapse;margin:.75rem 0 1rem}
.quadrant-grid caption{text-align:left;font-weight:600;padding:.25rem 0}
.quadrant-grid th,.quadrant-grid td{border:1px solid ${C.mutedText};padding:.5rem .75rem;text-align:left}
.quadrant-grid thead th{background:${C.choiceBackground}}
.quadrant-grid td.quadrant-current{background:${C.accent};color:${C.onAccent}}
.trend-chart{margin:.75rem 0;max-width:44rem}
.trend-chart svg{display:block;width:100%;height:auto}
@media (max-width:47.99rem){
dl.facts.stack-on-phone{grid-template-columns:1fr;gap:0}
dl.facts.stack-on-phone dd{margin-bottom:.5rem}
}
@media (min-width:48rem){
.calendars{grid-template-columns:repeat(auto-fill,minmax(20rem,1fr))}
}
`.trim();
