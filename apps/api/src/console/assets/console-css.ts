import { createHash } from 'node:crypto';
import { PAGE_COLOURS as C } from '@libs/app/src/html/html';
import { DASHBOARD_CSS } from '../dashboard/dashboard-css';
import { PROGRAM_ACCOUNTS_CSS } from '../program/program-accounts-css';

/** Badge colours: each text/background pair is at least 4.5:1 (WCAG AA), like PAGE_COLOURS. */
const BADGES = {
  good: { text: '#146c2e', background: '#e6f4ea' },
  bad: { text: C.error, background: '#fce8e6' },
  waiting: { text: '#7a4f01', background: '#fef7e0' },
  neutral: { text: C.text, background: C.choiceBackground },
} as const;

/**
 * The console's one stylesheet, served from /console/assets (the CSP allows same-origin styles
 * only: no inline style anywhere). Mobile first; at 48rem the header spreads out and tables are
 * tables again (below it each row is a card whose cells show their column's name).
 */
export const CONSOLE_CSS = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${C.text};background:${C.background}}
a{color:${C.accent}}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,main:focus-visible,summary:focus-visible{outline:3px solid ${C.accent};outline-offset:2px}
main:focus{outline:none}
.skip-link{position:absolute;left:.5rem;top:-3rem;z-index:10;padding:.5rem 1rem;background:${C.accent};color:${C.onAccent};font-weight:600;border-radius:.375rem}
.skip-link:focus{top:.5rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site-header{border-bottom:1px solid ${C.mutedText};background:${C.choiceBackground}}
.header-inner{max-width:80rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
.brand{font-weight:700;font-size:1.125rem;color:${C.text};text-decoration:none;padding:.5rem 0}
.main-nav ul,.section-nav ul,.pager ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
.main-nav{flex:1 1 auto;width:100%}
.main-nav a,.section-nav a{display:inline-flex;align-items:center;min-height:2.75rem;padding:.25rem .75rem;border-radius:.375rem;color:${C.text};text-decoration:none;font-weight:600}
.main-nav a:hover,.section-nav a:hover{text-decoration:underline}
.main-nav a[aria-current],.section-nav a[aria-current]{background:${C.accent};color:${C.onAccent}}
.account{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;width:100%}
.account .who{margin:0;overflow-wrap:anywhere}
.account .button{min-height:2.5rem;padding:.25rem .875rem}
.account .role{display:inline-block;margin-left:.25rem;padding:0 .5rem;border:1px solid ${C.mutedText};border-radius:1rem;font-size:.875rem}
main{display:block;max-width:80rem;margin:0 auto;padding:1.25rem 1rem 3rem}
.section-nav{margin-bottom:1rem;padding-bottom:.5rem;border-bottom:1px solid ${C.mutedText}}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.0625rem;margin:1.25rem 0 .5rem}
p{margin:.5rem 0}
.muted,.hint{color:${C.mutedText}}
.hint{margin:.25rem 0}
.notice{font-weight:600;border-left:4px solid ${C.accent};padding:.5rem .75rem;background:${C.choiceBackground}}
.error-summary{border:3px solid ${C.error};padding:.75rem 1rem;margin:0 0 1.25rem}
.error-summary h2{margin:0 0 .5rem;font-size:1.125rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:${C.error};font-weight:600}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field-error{color:${C.error};font-weight:600;margin:.25rem 0}
.has-error input,.has-error select,.has-error textarea{border-color:${C.error};border-width:2px}
input[type=text],input[type=email],input[type=password],select,textarea{display:block;width:100%;max-width:28rem;min-height:2.75rem;padding:.5rem .625rem;font:inherit;color:${C.text};background:${C.background};border:1px solid ${C.mutedText};border-radius:.375rem}
.button,button{display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.5rem 1.25rem;font:inherit;font-weight:600;color:${C.onAccent};background:${C.accent};border:2px solid ${C.accent};border-radius:.375rem;cursor:pointer;text-decoration:none}
.button.secondary,button.secondary{color:${C.accent};background:${C.background}}
.button.danger,button.danger{color:${C.onAccent};background:${C.error};border-color:${C.error}}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
form.inline{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0}
form.inline .field{margin:0}
form.inline select{min-width:8rem}
.data-table{width:100%;border-collapse:collapse;margin:.5rem 0 1rem}
.data-table caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
.data-table th,.data-table td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid ${C.mutedText};overflow-wrap:break-word}
.data-table .actions{margin:0}
.data-table th{background:${C.choiceBackground}}
.data-table td.numeric,.data-table th.numeric{font-variant-numeric:tabular-nums}
.vendor-words{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9375rem;white-space:pre-wrap;overflow-wrap:anywhere}
.empty-state{padding:1rem;border:1px dashed ${C.mutedText};border-radius:.375rem;margin:.5rem 0 1rem}
.empty-state p{margin:0}
.pager{margin:1rem 0}
.pager a{display:inline-flex;align-items:center;min-height:2.75rem;padding:.25rem .75rem;font-weight:600}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.875rem;font-weight:600;border:1px solid currentColor}
.badge::before{content:"";display:inline-block;width:.5rem;height:.5rem;margin-right:.375rem;border-radius:50%;background:currentColor;vertical-align:.05rem}
.badge.good{color:${BADGES.good.text};background:${BADGES.good.background}}
.badge.bad{color:${BADGES.bad.text};background:${BADGES.bad.background}}
.badge.bad::before{border-radius:0}
.badge.waiting{color:${BADGES.waiting.text};background:${BADGES.waiting.background}}
.badge.waiting::before{background:transparent;border:2px solid currentColor}
.badge.neutral{color:${BADGES.neutral.text};background:${BADGES.neutral.background}}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem;margin:1rem 0}
.card{border:1px solid ${C.mutedText};border-radius:.5rem;padding:1rem}
.card h2,.card h3{margin-top:0}
.figure{font-size:2rem;font-weight:700;line-height:1.1;margin:.25rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.secret{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1rem;padding:.75rem;background:${C.choiceBackground};border:1px solid ${C.mutedText};border-radius:.375rem;overflow-wrap:anywhere;user-select:all}
.narrow{max-width:32rem}
textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem}
fieldset{border:1px solid ${C.mutedText};border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1.25rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
details{margin:0 0 1rem}
summary{display:flex;align-items:center;min-height:2.75rem;cursor:pointer;font-weight:600;color:${C.accent}}
progress{width:100%;max-width:28rem;height:1rem}
.narrow > form{margin-top:1.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
@media (max-width:47.99rem){
.data-table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.data-table,.data-table caption,.data-table tbody,.data-table tr,.data-table td{display:block;width:100%}
.data-table tr{border:1px solid ${C.mutedText};border-radius:.5rem;margin:0 0 .75rem;padding:.25rem .5rem}
.data-table td{border-bottom:1px solid ${C.choiceBackground};padding:.375rem 0}
.data-table td:last-child{border-bottom:0}
.data-table td::before{content:attr(data-label);display:block;font-size:.875rem;font-weight:600;color:${C.mutedText}}
}
@media (min-width:48rem){
.main-nav{width:auto}
.account{width:auto;margin-left:auto}
.badge{white-space:nowrap}
main{padding:1.5rem 1.5rem 3rem}
h1{font-size:1.75rem}
.data-table td.numeric,.data-table th.numeric{text-align:right}
}
${DASHBOARD_CSS}
${PROGRAM_ACCOUNTS_CSS}
`.trim();

const VERSION = createHash('sha256').update(CONSOLE_CSS).digest('hex').slice(0, 12);

/** Where pages link the stylesheet; the version changes with its content, so a browser may keep it. */
export const CONSOLE_STYLESHEET_URL = `/console/assets/console.css?v=${VERSION}`;
export const CONSOLE_STYLESHEET_VERSION = VERSION;
