/**
 * The shared shell of every server-rendered page (survey pages, sandbox mail catcher) and the
 * one escaping function they all use. Pages must work without JavaScript and with no external
 * assets, because respondents open them from email on any phone, often on a poor connection.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for use in HTML element content and in quoted attribute values (both quote kinds),
 * so names, ticket subjects and comments typed by anyone can never become markup.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * The colours of every page. Each text/background pair is at least 4.5:1 (WCAG AA for body
 * text); the spec checks the ratios so a later colour change cannot quietly break that.
 */
export const PAGE_COLOURS = {
  text: '#1a1a1a',
  mutedText: '#4a4a4a',
  background: '#ffffff',
  accent: '#0b57d0',
  onAccent: '#ffffff',
  error: '#b3261e',
  choiceBackground: '#f1f3f4',
} as const;

const C = PAGE_COLOURS;

// One small inline stylesheet: no external CSS, so the page renders fully on the first response.
const STYLE = `
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${C.text};background:${C.background}}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
a{color:${C.accent}}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid ${C.accent};outline-offset:2px}
.muted,footer{color:${C.mutedText}}
footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;font-size:.9375rem}
.error{color:${C.error};font-weight:600;border-left:4px solid ${C.error};padding-left:.75rem}
fieldset{border:0;margin:0 0 1rem;padding:0}
legend{font-size:1.25rem;font-weight:600;margin-bottom:.75rem;padding:0}
.scale{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:.25rem}
@media (max-width:30rem){.scale{grid-template-columns:repeat(6,minmax(0,1fr))}}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale label{display:flex;align-items:center;justify-content:center;min-height:2.75rem;border:1px solid ${C.mutedText};border-radius:.375rem;background:${C.choiceBackground};font-weight:600;cursor:pointer}
.scale input:checked+label{background:${C.accent};color:${C.onAccent};border-color:${C.accent}}
.scale input:focus-visible+label{outline:3px solid ${C.accent};outline-offset:2px}
.anchors{display:flex;justify-content:space-between;font-size:.9375rem;color:${C.mutedText};margin-top:.5rem}
label.field{display:block;font-weight:600;margin-bottom:.5rem}
textarea{display:block;width:100%;min-height:9rem;padding:.625rem;font:inherit;color:${C.text};border:1px solid ${C.mutedText};border-radius:.375rem}
.check{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}
.check input{width:1.25rem;height:1.25rem;margin-top:.15rem}
button{min-height:2.75rem;padding:.5rem 1.5rem;font:inherit;font-weight:600;color:${C.onAccent};background:${C.accent};border:0;border-radius:.375rem;cursor:pointer}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid ${C.mutedText};vertical-align:top}
pre{white-space:pre-wrap;word-break:break-word;background:${C.choiceBackground};padding:1rem;border-radius:.375rem}
iframe{width:100%;height:40rem;border:1px solid ${C.mutedText}}
.status:empty{margin:0;padding:0;border:0}
.status{font-weight:600;border-left:4px solid ${C.accent};padding-left:.75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-word}
h1{overflow-wrap:anywhere}.mail-list{list-style:none;margin:0;padding:0}.mail-list li{padding:.75rem 0;border-bottom:1px solid ${C.mutedText};overflow-wrap:anywhere}.mail-list p{margin:.25rem 0 0}
`.trim();

export interface PageInput {
  /** Plain text; escaped here. */
  title: string;
  /** Already-rendered HTML: every caller escapes what it interpolates. */
  body: string;
  /** Plain text; shown in the title and footer so respondents know who is asking. */
  company?: string | null;
  /** Pages reached by a secret link: search engines must not keep them even if a link leaks. */
  noindex?: boolean;
  /**
   * Same-origin script files, loaded deferred as progressive enhancement. Never inline script:
   * pages must keep working under a strict Content-Security-Policy and without JavaScript.
   */
  scripts?: readonly string[];
}

/**
 * A complete HTML document around `body`. `no-referrer` because survey URLs carry the response
 * token: a link followed from the page must not hand it to another site.
 */
export function page({ title, body, company, noindex, scripts = [] }: PageInput): string {
  const fullTitle = company ? `${title} – ${company}` : title;
  const footer = company ? `<footer><p>${escapeHtml(company)}</p></footer>` : '';
  const robots = noindex ? '<meta name="robots" content="noindex">\n' : '';
  const scriptTags = scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>\n`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${robots}<title>${escapeHtml(fullTitle)}</title>
<style>${STYLE}</style>
${scriptTags}</head>
<body>
<main>
${body}
</main>
${footer}
</body>
</html>
`;
}
