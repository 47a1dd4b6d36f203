/**
 * The shell of the sandbox's own pages (index, record lists and records, caught mail). The
 * sandbox renders them itself rather than borrowing the product's page layout, so it stays a
 * separate imitation. Pages work without JavaScript and with no external assets.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for element content and quoted attribute values (both quote kinds): record
 * values, ticket subjects and mail headers come from anyone and must never become markup.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** Each text/background pair is at least 4.5:1 (WCAG AA for body text); the axe e2e test checks it. */
const C = {
  text: '#1a1a1a',
  mutedText: '#4a4a4a',
  background: '#ffffff',
  accent: '#0b57d0',
  onAccent: '#ffffff',
  panel: '#f1f3f4',
} as const;

// One small inline stylesheet: the page renders fully on the first response. Long subjects,
// addresses and values wrap, so a 390 px phone never scrolls sideways.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${C.text};background:${C.background}}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem;overflow-wrap:anywhere}
li{overflow-wrap:anywhere}
a{color:${C.accent}}
a:focus-visible,button:focus-visible{outline:3px solid ${C.accent};outline-offset:2px}
.muted{color:${C.mutedText}}
button{min-height:2.75rem;padding:.5rem 1.5rem;font:inherit;font-weight:600;color:${C.onAccent};background:${C.accent};border:0;border-radius:.375rem;cursor:pointer}
pre{white-space:pre-wrap;word-break:break-word;background:${C.panel};padding:1rem;border-radius:.375rem}
iframe{width:100%;height:40rem;border:1px solid ${C.mutedText}}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-word}
.mail-list{list-style:none;margin:0;padding:0}.mail-list li{padding:.75rem 0;border-bottom:1px solid ${C.mutedText}}.mail-list p{margin:.25rem 0 0}
`.trim();

export interface SandboxPageInput {
  /** Plain text; escaped here. */
  title: string;
  /** Already-rendered HTML: every caller escapes what it interpolates. */
  body: string;
}

/** A complete HTML document around `body`; no script, no referrer handed to linked sites. */
export function page({ title, body }: SandboxPageInput): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
