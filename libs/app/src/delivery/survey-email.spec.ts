import { renderSurveyEmail, surveyQuestion, type SurveyEmailInput } from './survey-email';

// `&` in the URLs proves hrefs are escaped and still decode to the exact URL.
const scoreUrl = (score: number): string => `https://nps.example.com/s/tok123?score=${score}&src=email`;
const unsubscribeUrl = 'https://nps.example.com/s/tok123/unsubscribe?src=email&x=1';

function input(extra: Partial<SurveyEmailInput> = {}): SurveyEmailInput {
  return {
    recipient: { email: 'ana@customer.example', firstName: 'Ana' },
    product: 'Acme Cloud',
    company: 'Acme',
    trigger: 'quarterly',
    csm: null,
    defaultSender: { name: 'Acme Customer Success', address: 'feedback@acme.example' },
    sendingAddress: 'surveys@mail.acme.example',
    scoreUrl,
    unsubscribeUrl,
    ...extra,
  };
}

const unescapeHtml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const hrefs = (html: string): string[] => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => unescapeHtml(m[1]));

const expectedScoreUrls = Array.from({ length: 11 }, (_, s) => scoreUrl(s));

describe('renderSurveyEmail: sender', () => {
  it('comes from "{CSM} at {company}" on our sending address, with replies to the CSM', () => {
    const email = renderSurveyEmail(input({ csm: { name: 'Maria Lopez', email: 'maria@acme.example' } }));
    expect(email.from).toEqual({ name: 'Maria Lopez at Acme', address: 'surveys@mail.acme.example' });
    expect(email.replyTo).toBe('maria@acme.example');
    expect(email.to).toBe('ana@customer.example');
    expect(email.text).toContain('\nMaria Lopez\nAcme\n');
  });

  it('comes from the configured sender with no reply-to when the account has no owner', () => {
    for (const csm of [null, undefined]) {
      const email = renderSurveyEmail(input({ csm }));
      expect(email.from).toEqual({ name: 'Acme Customer Success', address: 'feedback@acme.example' });
      expect(email.replyTo).toBeNull();
    }
  });

  it('reads as the company when the owner has no name, still replying to the owner', () => {
    const email = renderSurveyEmail(input({ csm: { name: ' ', email: 'owner@acme.example' } }));
    expect(email.from).toEqual({ name: 'Acme', address: 'surveys@mail.acme.example' });
    expect(email.replyTo).toBe('owner@acme.example');
  });
});

describe('renderSurveyEmail: question and subject', () => {
  it('asks the relational question', () => {
    const email = renderSurveyEmail(input());
    expect(email.subject).toBe('Quick question from Acme');
    expect(email.text).toContain('\nHow likely are you to recommend Acme Cloud to a colleague?\n');
    expect(email.html).toContain('>How likely are you to recommend Acme Cloud to a colleague?</h1>');
    expect(email.text.startsWith('Hi Ana,\n')).toBe(true);
  });

  it('names the ticket for ticket_solved', () => {
    const email = renderSurveyEmail(input({ trigger: 'ticket_solved', ticket: { id: '123', subject: 'Export\r\n fails' } }));
    const question = 'Thinking about your request #123 (Export fails), how likely are you to recommend Acme Cloud to a colleague?';
    expect(email.subject).toBe('How did we do on request #123?');
    expect(email.text).toContain(`\n${question}\n`);
    expect(email.html).toContain(`>${question}</h1>`);
  });

  it('leaves out the parentheses when the ticket has no subject', () => {
    expect(surveyQuestion({ product: 'P', trigger: 'ticket_solved', ticket: { id: '9', subject: null } })).toBe(
      'Thinking about your request #9, how likely are you to recommend P to a colleague?',
    );
  });

  it('refuses a ticket_solved email without its ticket', () => {
    expect(() => renderSurveyEmail(input({ trigger: 'ticket_solved' }))).toThrow(/needs the ticket/);
  });

  it('greets without a name when none is known', () => {
    expect(renderSurveyEmail(input({ recipient: { email: 'x@y.example', firstName: null } })).text).toMatch(/^Hi,\n/);
  });
});

describe('renderSurveyEmail: score links', () => {
  it('has 11 one-click links 0–10 in order in the HTML, labelled for screen readers, then unsubscribe', () => {
    const { html } = renderSurveyEmail(input());
    expect(hrefs(html)).toEqual([...expectedScoreUrls, unsubscribeUrl]);
    const labels = [...html.matchAll(/aria-label="Score (\d+) out of 10"[^>]*>(\d+)<\/a>/g)];
    expect(labels.map((m) => [m[1], m[2]])).toEqual(expectedScoreUrls.map((_, s) => [String(s), String(s)]));
    expect(html).toContain('href="https://nps.example.com/s/tok123?score=7&amp;src=email"');
    expect(html).toContain('Not at all likely');
    expect(html).toContain('Extremely likely');
  });

  it('keeps the HTML email-client safe: inline styles only, no script, no external assets', () => {
    const { html } = renderSurveyEmail(input());
    expect(html).not.toMatch(/<script|<style|<link|<img|\ssrc=|\sclass=/i);
    expect(html.match(/line-height:44px/g)).toHaveLength(11);
  });

  it('lists each score with its URL on its own line in the text part, then the unsubscribe link', () => {
    const { text } = renderSurveyEmail(input());
    const lines = text.split('\n');
    const start = lines.indexOf(`0: ${scoreUrl(0)}`);
    expect(lines.slice(start, start + 11)).toEqual(expectedScoreUrls.map((url, s) => `${s}: ${url}`));
    expect(lines).toContain(`Unsubscribe: ${unsubscribeUrl}`);
  });
});

describe('renderSurveyEmail: unsubscribe headers', () => {
  it('carries RFC 8058 one-click unsubscribe headers on an https link', () => {
    expect(renderSurveyEmail(input()).headers).toEqual({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('offers no one-click promise on a plain-http link (RFC 8058 requires https), only the link', () => {
    const httpUrl = 'http://localhost:3000/s/tok123/unsubscribe';
    expect(renderSurveyEmail(input({ unsubscribeUrl: httpUrl })).headers).toEqual({ 'List-Unsubscribe': `<${httpUrl}>` });
  });
});

describe('renderSurveyEmail: what a click does', () => {
  it('says a score opens a page to confirm it, not that one click records the answer (rules §5)', () => {
    const { html, text } = renderSurveyEmail(input());
    for (const part of [html, text]) {
      expect(part).toContain('Choosing a score opens a short page where you can confirm it and add a comment.');
      expect(part).not.toContain('One click records');
    }
  });
});

describe('renderSurveyEmail: escaping', () => {
  it('escapes names, ticket subject, product and company in the HTML', () => {
    const email = renderSurveyEmail(
      input({
        trigger: 'ticket_solved',
        ticket: { id: '7', subject: '<script>alert(1)</script>' },
        recipient: { email: 'a@b.example', firstName: '<script>x</script>' },
        product: 'P&<b>',
        company: 'C"<i>',
        csm: { name: '<script>csm</script>', email: 'c@acme.example' },
      }),
    );
    expect(email.html).not.toMatch(/<script|<b>|<i>/);
    expect(email.html).toContain('Hi &lt;script&gt;x&lt;/script&gt;,');
    expect(email.html).toContain('(&lt;script&gt;alert(1)&lt;/script&gt;)');
    expect(email.html).toContain('recommend P&amp;&lt;b&gt; to a colleague');
    expect(email.html).toContain('&lt;script&gt;csm&lt;/script&gt;<br>C&quot;&lt;i&gt;');
    // The text part is plain text: it carries the words as typed.
    expect(email.text).toContain('Hi <script>x</script>,');
    expect(email.from.name).toBe('<script>csm</script> at C"<i>');
  });
});
