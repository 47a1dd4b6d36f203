import nodemailer from 'nodemailer';
import { decodeEncodedWords, MAIL_CATCHER_CAPACITY, MailCatcher, parseMail, renderMail, renderMailList, type CaughtMail } from './mail-catcher';

const longLine = `Thinking about your request #123, ${'how likely are you to recommend Acme Cloud to a colleague? '.repeat(3)}— café, Ñandú, 東京`;
const text = `Hi Ana,\n\n${longLine}\n\n0: https://nps.example.com/s/tok/0\n10: https://nps.example.com/s/tok/10\n`;
const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><p style="margin:0 0 16px;font-family:Arial,Helvetica,sans-serif">${longLine}</p>\n<a href="https://nps.example.com/s/tok/7?a=1&amp;b=2">7</a></body></html>`;
const subject = 'Quick question from Ácme — ¿qué tal? 🚀 a subject long enough to be folded over several lines';

describe('MailCatcher over SMTP', () => {
  const catcher = new MailCatcher(0);
  let port: number;

  beforeAll(async () => {
    const started = await catcher.start();
    port = started.port;
    expect(started.url).toBe(`smtp://127.0.0.1:${port}`);
  });
  afterAll(() => catcher.stop());
  beforeEach(() => catcher.clear());

  const transport = (pool = false) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool, maxConnections: 4 });

  it('parses every field of a multipart/alternative message sent by nodemailer', async () => {
    const smtp = transport();
    await smtp.sendMail({
      envelope: { from: 'bounces@mail.acme.example', to: ['ana@customer.example', 'bob@customer.example'] },
      from: { name: 'José Müller at Acme', address: 'surveys@mail.acme.example' },
      to: [{ name: 'Ana Ñúñez', address: 'ana@customer.example' }, 'bob@customer.example'],
      replyTo: 'jose@acme.example',
      subject,
      text,
      html,
      messageId: '<survey-1@nps.example.com>',
      date: new Date('2025-01-02T03:04:05Z'),
      headers: {
        'List-Unsubscribe': '<https://nps.example.com/s/tok/unsubscribe>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    smtp.close();
    const [mail] = catcher.messages();
    // The message really used the encodings under test.
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative; boundary=/);
    expect(mail.source).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(mail.headers.subject).toMatch(/^=\?UTF-8\?[BQ]\?/);
    expect(mail.source).toMatch(/\r\n[ \t]=\?UTF-8\?/); // the subject header is folded

    expect(mail).toMatchObject({
      id: expect.any(String),
      receivedAt: expect.any(Date),
      envelopeFrom: 'bounces@mail.acme.example',
      envelopeTo: ['ana@customer.example', 'bob@customer.example'],
      from: { name: 'José Müller at Acme', address: 'surveys@mail.acme.example' },
      to: [
        { name: 'Ana Ñúñez', address: 'ana@customer.example' },
        { name: '', address: 'bob@customer.example' },
      ],
      replyTo: { name: '', address: 'jose@acme.example' },
      subject,
      text,
      html,
    });
    expect(mail.headers['list-unsubscribe']).toBe('<https://nps.example.com/s/tok/unsubscribe>');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['message-id']).toBe('<survey-1@nps.example.com>');
    expect(mail.headers.date).toBe('Thu, 02 Jan 2025 03:04:05 +0000');
    expect(catcher.message(mail.id)).toBe(mail);
  });

  it('decodes base64 parts', async () => {
    const smtp = transport();
    await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'b64', text, html, textEncoding: 'base64' });
    smtp.close();
    const [mail] = catcher.messages();
    expect(mail.source).toContain('Content-Transfer-Encoding: base64');
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(html);
  });

  it('keeps a text-only message with html null', async () => {
    const smtp = transport();
    await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'plain', text: 'just text' });
    smtp.close();
    expect(catcher.messages()[0]).toMatchObject({ text: 'just text', html: null, replyTo: null });
  });

  it(`keeps only the newest ${MAIL_CATCHER_CAPACITY} messages, newest first`, async () => {
    const smtp = transport(true);
    const total = MAIL_CATCHER_CAPACITY + 5;
    // Sequential so arrival order is the send order.
    for (let i = 0; i < total; i++) await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: `n${i}`, text: '.' });
    smtp.close();
    const subjects = catcher.messages().map((m) => m.subject);
    expect(subjects).toHaveLength(MAIL_CATCHER_CAPACITY);
    expect(subjects[0]).toBe(`n${total - 1}`);
    expect(subjects[MAIL_CATCHER_CAPACITY - 1]).toBe('n5');
    expect(catcher.message('1')).toBeUndefined();
  });

  it('waitFor resolves with mail already caught or arriving later, and rejects on timeout', async () => {
    const smtp = transport();
    await smtp.sendMail({ from: 'a@x.example', to: 'early@x.example', subject: 'early', text: '.' });
    await expect(catcher.waitFor((m) => m.to[0]?.address === 'early@x.example', 100)).resolves.toMatchObject({ subject: 'early' });

    const waiting = catcher.waitFor((m) => m.subject === 'late', 5000);
    await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'other', text: '.' });
    await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'late', text: '.' });
    smtp.close();
    await expect(waiting).resolves.toMatchObject({ subject: 'late' });
    await expect(catcher.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(/No matching mail within 50 ms/);
  });

  it('clear() forgets everything', async () => {
    const smtp = transport();
    await smtp.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 's', text: '.' });
    smtp.close();
    catcher.clear();
    expect(catcher.messages()).toEqual([]);
  });
});

describe('MailCatcher lifecycle', () => {
  it('refuses a second start and rejects waiters on stop', async () => {
    const catcher = new MailCatcher();
    await catcher.start();
    await expect(catcher.start()).rejects.toThrow(/already running/);
    const waiting = catcher.waitFor(() => true, 10_000);
    await catcher.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
  });

  it('fails to start on a port already in use', async () => {
    const first = new MailCatcher();
    const { port } = await first.start();
    await expect(new MailCatcher(port).start()).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
  });
});

describe('decodeEncodedWords', () => {
  it('joins adjacent words, even when a character is split across them', () => {
    // "é" is C3 A9 in UTF-8; here the two bytes sit in two words.
    expect(decodeEncodedWords('=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9_ok?= and =?ISO-8859-1?B?5Q==?=')).toBe('café ok and å');
    expect(decodeEncodedWords('plain text')).toBe('plain text');
  });
});

describe('mail catcher pages', () => {
  const hostile: CaughtMail = parseMail(
    [
      'From: "Eve <script>" <eve@x.example>',
      'To: ana@x.example',
      'Subject: <script>alert("s")</script>',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'text </pre><script>alert(1)</script>',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head></head><body><a href="https://x.example/?a=1&amp;b=2" title=\'q\'>"go"</a><script>alert(2)</script></body></html>',
      '--b1--',
      '',
    ].join('\r\n'),
    { id: 'm/1', receivedAt: new Date('2025-01-02T03:04:05Z'), envelopeFrom: null, envelopeTo: ['ana@x.example'] },
  );

  it('lists messages with escaped subjects and links to each message', () => {
    const page = renderMailList([hostile], '/sandbox/mail/');
    expect(page).toContain('<time datetime="2025-01-02T03:04:05.000Z">');
    expect(page).toContain('To ana@x.example · <time');
    expect(page).toContain('<a href="/sandbox/mail/m%2F1">&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;</a>');
    expect(page).not.toMatch(/<script/i);
    expect(renderMailList([], '/sandbox/mail')).toContain('No mail caught yet.');
  });

  it('shows headers, the HTML part in a sandboxed srcdoc iframe and the text part, all escaped', () => {
    const page = renderMail(hostile, '/sandbox/mail');
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('<dd>Eve &lt;script&gt; &lt;eve@x.example&gt;</dd>');
    expect(page).toContain('<dt>Envelope from</dt><dd>&lt;&gt;</dd>');
    expect(page).toContain('<pre>text &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>');
    const srcdoc = /<iframe title="HTML part of the message" sandbox="allow-top-navigation-by-user-activation" srcdoc="([^"]*)"><\/iframe>/.exec(page);
    expect(srcdoc).not.toBeNull();
    const decoded = srcdoc![1]
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    expect(decoded).toBe(hostile.html!.replace('<head>', '<head><base target="_top">'));
    expect(page).toContain('<a href="/sandbox/mail">All mail</a>');
  });
});
