import type { Category } from '@libs/nps/src/types';
import { escapeHtml, page, PAGE_COLOURS } from '@libs/app/src/html/html';
import {
  renderAnswerPage,
  renderCommentPage,
  renderExpiredPage,
  renderNotFoundPage,
  renderScorePage,
  renderThankYouPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
  REFERENCE_OPT_IN_LABEL,
} from './survey-pages';

const company = 'Acme';
const product = 'Acme Cloud';

function commentPage(category: Category, extra: Partial<Parameters<typeof renderCommentPage>[0]> = {}): string {
  return renderCommentPage({
    product,
    company,
    category,
    score: category === 'promoter' ? 9 : category === 'passive' ? 7 : 3,
    commentActionUrl: '/s/tok/comment',
    changeScoreUrl: '/s/tok',
    comment: null,
    referenceOptIn: false,
    ...extra,
  });
}

const scorePage = (extra: Partial<Parameters<typeof renderScorePage>[0]> = {}): string =>
  renderScorePage({
    product,
    company,
    question: `How likely are you to recommend ${product} to a colleague?`,
    actionUrl: '/s/tok',
    tokenPath: '/s/tok',
    currentScore: null,
    ...extra,
  });

const answerPage = (extra: Partial<Parameters<typeof renderAnswerPage>[0]> = {}): string =>
  renderAnswerPage({
    product,
    company,
    question: `How likely are you to recommend ${product} to a colleague?`,
    score: 4,
    actionUrl: '/s/tok/score',
    tokenPath: '/s/tok',
    scriptUrl: '/assets/survey.js',
    comment: null,
    referenceOptIn: false,
    ...extra,
  });

const allPages = (): Record<string, string> => ({
  score: scorePage({ error: 'Choose a score from 0 to 10.' }),
  answerDetractor: answerPage({ score: 2 }),
  answerPromoter: answerPage({ score: 10, error: 'x' }),
  detractor: commentPage('detractor'),
  passive: commentPage('passive'),
  promoter: commentPage('promoter'),
  thankYou: renderThankYouPage({ company }),
  expired: renderExpiredPage({ company }),
  notFound: renderNotFoundPage(),
  unsubscribed: renderUnsubscribedPage({ company, email: 'ana@example.com' }),
  unsubscribeConfirm: renderUnsubscribeConfirmPage({ company, actionUrl: '/s/tok/unsubscribe' }),
});

/** Every id of an input/textarea/select, and every `label for`: a DOM-free accessibility check. */
function fieldIds(html: string): string[] {
  return [...html.matchAll(/<(?:input|textarea|select)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
}
function labelTargets(html: string): string[] {
  return [...html.matchAll(/<label\b[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]);
}

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(7)).toBe('7');
  });
});

describe('page shell', () => {
  it('is a complete, phone-ready English document with a main landmark and escaped title', () => {
    const html = page({ title: 'T <b>', body: '<p>x</p>', company: 'A&B' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>T &lt;b&gt; – A&amp;B</title>');
    expect(html).toContain('<main>\n<p>x</p>\n</main>');
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('uses colours with at least 4.5:1 contrast for every text/background pair', () => {
    const luminance = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const c = PAGE_COLOURS;
    const pairs: Array<[string, string]> = [
      [c.text, c.background],
      [c.mutedText, c.background],
      [c.accent, c.background],
      [c.error, c.background],
      [c.onAccent, c.accent],
      [c.text, c.choiceBackground],
      [c.mutedText, c.choiceBackground],
      [c.accent, c.choiceBackground],
    ];
    for (const [fg, bg] of pairs) expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('every survey page', () => {
  it.each(Object.entries(allPages()))('%s: viewport meta, main landmark, no inline script, no external assets', (_name, html) => {
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<main>');
    // At most the one same-origin script file (a strict CSP allows it); never inline code.
    const withoutOurScript = html.replace('<script src="/assets/survey.js" defer></script>', '');
    expect(withoutOurScript).not.toMatch(/<script/i);
    expect(withoutOurScript).not.toMatch(/<link\b|<img\b|\ssrc=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toMatch(/:focus-visible\{outline:3px solid/);
  });

  it.each(Object.entries(allPages()))('%s: every input and textarea has a label', (_name, html) => {
    const targets = labelTargets(html);
    for (const id of fieldIds(html)) expect(targets).toContain(id);
    expect(html).not.toMatch(/<input(?![^>]*\bid=)(?![^>]*type="hidden")[^>]*>/);
  });
});

describe('renderScorePage', () => {
  it('asks the question as the legend of a POST form with 11 labelled choices 0–10 named score', () => {
    const html = scorePage();
    expect(html).toContain('<form method="post" action="/s/tok">');
    expect(html).toContain('<legend>How likely are you to recommend Acme Cloud to a colleague?</legend>');
    const values = [...html.matchAll(/<input type="radio" id="score-(\d+)" name="score" value="(\d+)"/g)];
    expect(values.map((m) => Number(m[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(html).toContain('aria-label="Score 7 out of 10"');
    expect(html).toContain('Not at all likely');
    expect(html).toContain('Extremely likely');
    expect(html).toMatch(/<button type="submit">Send score<\/button>/);
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain(' checked');
  });

  it('pre-selects the current score when changing it', () => {
    const html = scorePage({ currentScore: 6 });
    expect(html.match(/ checked/g)).toHaveLength(1);
    expect(html).toMatch(/id="score-6"[^>]* checked>/);
    expect(html).toContain('<button type="submit">Save score</button>');
  });

  it('shows an error as an alert, escaped', () => {
    const html = scorePage({ error: 'Pick <one>' });
    expect(html).toContain('<p class="error" role="alert">Pick &lt;one&gt;</p>');
  });

  it('escapes the question, product and URLs', () => {
    const html = scorePage({ product: '<b>X</b>', question: 'Q "<script>"', actionUrl: '/s/a?x=1&y="2"' });
    expect(html).toContain('<legend>Q &quot;&lt;script&gt;&quot;</legend>');
    expect(html).toContain('Your feedback on &lt;b&gt;X&lt;/b&gt;');
    expect(html).toContain('action="/s/a?x=1&amp;y=&quot;2&quot;"');
  });

  it('links to unsubscribe from the survey path', () => {
    expect(scorePage()).toContain('<a href="/s/tok/unsubscribe">');
  });
});

describe('renderAnswerPage (a score link from the email)', () => {
  it('shows the clicked score selected in the one form, with the category question and a Confirm score button', () => {
    const html = answerPage({ score: 4 });
    expect(html).toContain('<form method="post" action="/s/tok/score" id="answer-form" data-presence-url="/s/tok/score">');
    expect(html.match(/<form/g)).toHaveLength(1);
    expect(html.match(/ checked/g)).toHaveLength(1);
    expect(html).toMatch(/id="score-4"[^>]* checked>/);
    expect(html).toContain('<legend>How likely are you to recommend Acme Cloud to a colleague?</legend>');
    expect(html).toMatch(/<label class="field" for="comment" id="comment-question"[^>]*>What is the primary reason for your score\?<\/label>/);
    expect(html).toContain('<textarea id="comment" name="comment" maxlength="5000"');
    expect(html).toContain('<button type="submit">Confirm score</button>');
    expect(html).toContain('<p class="status" id="score-status" role="status"></p>');
    expect(html).toContain('<a href="/s/tok/unsubscribe">');
  });

  it('loads the presence script as a deferred external file, once', () => {
    const html = answerPage();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script src="/assets/survey.js" defer></script>');
  });

  it('carries every category question for the script, and shows the opt-in to promoters only', () => {
    const detractor = answerPage({ score: 6 });
    expect(detractor).toContain('data-passive="What would need to change for you to give us a 9 or 10?"');
    expect(detractor).toContain('data-promoter="What do you value most?"');
    expect(detractor).toContain('<div class="check" id="reference-opt-in-choice" hidden>');
    const passive = answerPage({ score: 7 });
    expect(passive).toMatch(/id="comment-question"[^>]*>What would need to change for you to give us a 9 or 10\?</);
    const promoter = answerPage({ score: 9, referenceOptIn: true });
    expect(promoter).toMatch(/id="comment-question"[^>]*>What do you value most\?</);
    expect(promoter).toContain('<div class="check" id="reference-opt-in-choice"><input type="checkbox" id="reference-opt-in" name="referenceOptIn" value="yes" checked>');
  });

  it('escapes an earlier comment, the question and the URLs', () => {
    const html = answerPage({ comment: '</textarea><script>x</script>', question: 'Q <i>', actionUrl: '/s/a?b=1&c="2"' });
    expect(html).toContain('>&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>');
    expect(html).toContain('<legend>Q &lt;i&gt;</legend>');
    expect(html).toContain('action="/s/a?b=1&amp;c=&quot;2&quot;"');
  });
});

describe('renderCommentPage', () => {
  it.each([
    ['detractor', 'What is the primary reason for your score?'],
    ['passive', 'What would need to change for you to give us a 9 or 10?'],
    ['promoter', 'What do you value most?'],
  ] as const)('%s: asks exactly "%s" as the label of the comment box', (category, question) => {
    const html = commentPage(category);
    expect(html).toContain(`<label class="field" for="comment">${question}</label>`);
    expect(html).toContain('<textarea id="comment" name="comment" maxlength="5000"');
    expect(html).toContain('<form method="post" action="/s/tok/comment">');
    expect(html).toContain('<button type="submit">Send</button>');
    expect(html).toContain('<a href="/s/tok">Change your score</a>');
  });

  it('thanks the respondent with the recorded score', () => {
    expect(commentPage('passive', { score: 8 })).toContain('Thanks — you answered 8.');
  });

  it('offers the reference opt-in to promoters only', () => {
    const promoter = commentPage('promoter');
    expect(promoter).toContain(REFERENCE_OPT_IN_LABEL);
    expect(REFERENCE_OPT_IN_LABEL).toBe("I'd be open to a reference call or case study");
    expect(promoter).toContain('<input type="checkbox" id="reference-opt-in" name="referenceOptIn" value="yes">');
    expect(promoter).toContain('<label for="reference-opt-in">');
    for (const category of ['passive', 'detractor'] as const) {
      const html = commentPage(category);
      expect(html).not.toContain('referenceOptIn');
      expect(html).not.toContain('reference call');
    }
  });

  it('keeps an earlier opt-in ticked', () => {
    expect(commentPage('promoter', { referenceOptIn: true })).toContain('value="yes" checked>');
  });

  it('shows an earlier comment escaped, so it cannot close the textarea', () => {
    const html = commentPage('detractor', { comment: 'slow</textarea><script>alert(1)</script>' });
    expect(html).toContain('>slow&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(html.match(/<\/textarea>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes product, company and URLs', () => {
    const html = commentPage('passive', { product: '<i>P</i>', company: 'A<b>', changeScoreUrl: '/s/t?a=1&b=2' });
    expect(html).toContain('&lt;i&gt;P&lt;/i&gt;');
    expect(html).toContain('<footer><p>A&lt;b&gt;</p></footer>');
    expect(html).toContain('href="/s/t?a=1&amp;b=2"');
    expect(html).not.toContain('<i>P</i>');
  });
});

describe('the other pages', () => {
  it('thank-you names the company', () => {
    expect(renderThankYouPage({ company: 'A&B' })).toContain('the team at A&amp;B');
  });

  it('expired says so', () => {
    expect(renderExpiredPage({ company })).toContain('<h1>This survey link has expired</h1>');
  });

  it('not found names no company', () => {
    const html = renderNotFoundPage();
    expect(html).toContain('<h1>Survey not found</h1>');
    expect(html).not.toContain('<footer>');
  });

  it('unsubscribed confirms the address, escaped', () => {
    const html = renderUnsubscribedPage({ company, email: '"<x>"@example.com' });
    expect(html).toContain('&quot;&lt;x&gt;&quot;@example.com will not receive any more surveys from Acme.');
  });

  it('ends a sentence after a company name ending in a period with that one period ("Acme Inc.", not "Acme Inc..")', () => {
    const pages = [
      renderThankYouPage({ company: 'Acme Inc.' }),
      renderUnsubscribedPage({ company: 'Acme Inc.', email: 'ana@x.example' }),
      renderUnsubscribeConfirmPage({ company: 'Acme Inc.', actionUrl: '/s/tok/unsubscribe' }),
    ];
    for (const html of pages) expect(html).not.toMatch(/\.\./);
    expect(pages[0]).toContain('the team at Acme Inc. You can close this page.');
    expect(pages[1]).toContain('will not receive any more surveys from Acme Inc.</p>');
    expect(renderUnsubscribedPage({ company: 'Acme', email: 'ana@x.example' })).toContain('surveys from Acme.</p>');
  });

  it('unsubscribe confirmation is a POST button, not a link that unsubscribes on GET', () => {
    const html = renderUnsubscribeConfirmPage({ company, actionUrl: '/s/tok/unsubscribe' });
    expect(html).toContain('<form method="post" action="/s/tok/unsubscribe">\n<button type="submit">Unsubscribe</button>');
  });
});
