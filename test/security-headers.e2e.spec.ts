import { existsSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { chromium, Browser } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { renderSurveyEmail } from '@libs/app/src/delivery/survey-email';
import { MailTransport } from '@libs/app/src/delivery/mail-transport';
import { CLOCK } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { answer, sentSurvey } from './support/survey-answers';

const NOW = Date.parse('2026-11-10T12:00:00Z');
const DAY = 86_400_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: .ci/run installs it with apt`);
const maybe = haveChromium ? it : it.skip;
const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The policy's directives by name, so a test reads `script-src` rather than matching one long string. */
function policy(res: request.Response): Record<string, string> {
  const header = res.headers['content-security-policy'] ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((d: string) => d.trim())
      .filter(Boolean)
      .map((d: string) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')]),
  );
}

describe('security headers on every page (issue 13 item 6)', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;
  const pages: Record<string, { path: string; status: number; token: boolean; method?: 'post' }> = {};

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: true });
    db = service.app.get(DataSource);
    service.app.get(CLOCK).now = () => new Date(NOW);
    const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('headers test', 'test')).key}` };
    await db.query(`UPDATE program_settings SET settings = $1`, [{ profile: { productName: 'Beacon', companyName: 'Acme Inc' } }]);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('salesforce');
    const accountId = await fx.account(crm, { name: 'Globex' });
    const contactId = await fx.contact(crm, accountId, { email: 'pat@customer.example', role: 'decision_maker' });
    const survey = (sentAt: number) => sentSurvey(db, { trigger: 'quarterly', email: 'pat@customer.example', contactId, accountId, sentAt: new Date(sentAt) });

    const open = await survey(NOW - DAY);
    const answered = await survey(NOW - DAY);
    await answer(service.url, answered, 9, 'Great');
    const unsubscribing = await survey(NOW - DAY);
    const expired = await survey(NOW - 40 * DAY);
    const [response] = await db.query(`SELECT r.id FROM responses r WHERE r.comment = 'Great'`);
    const issued = await request(service.url).post(`/api/responses/${response.id}/permalink`).set(auth);
    expect(issued.status).toBe(201);

    Object.assign(pages, {
      'survey page': { path: `/s/${open}`, status: 200, token: true },
      'answer page (loads /assets/survey.js)': { path: `/s/${open}/7`, status: 200, token: true },
      'thank-you page': { path: `/s/${answered}`, status: 200, token: true },
      'unsubscribe confirmation': { path: `/s/${unsubscribing}/unsubscribe`, status: 200, token: true },
      'unsubscribed page': { path: `/s/${unsubscribing}/unsubscribe`, status: 200, token: true, method: 'post' },
      'expired page': { path: `/s/${expired}`, status: 410, token: true },
      'survey 404 page': { path: '/s/no-such-survey-token', status: 404, token: true },
      'response permalink page': { path: new URL(issued.body.url).pathname, status: 200, token: true },
      'response 404 page': { path: '/r/no-such-response-token', status: 404, token: true },
      'sandbox index': { path: '/sandbox', status: 200, token: false },
      'mail catcher list': { path: '/sandbox/mail', status: 200, token: true },
      'API docs': { path: '/docs', status: 200, token: false },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  it('sends helmet headers, a CSP without inline script and no X-Powered-By on every page; no-store and no-referrer where a token travels', async () => {
    for (const [name, { path, status, token, method }] of Object.entries(pages)) {
      const res = await (method === 'post' ? request(service.url).post(path) : request(service.url).get(path));
      const where = `${name} (${path})`;
      expect([where, res.status, res.headers['content-type']]).toEqual([where, status, expect.stringMatching(/^text\/html/)]);
      const csp = policy(res);
      expect([where, csp['script-src'], csp['script-src-attr'], csp['frame-ancestors'], csp['object-src'], csp['base-uri']]).toEqual([
        where,
        "'self'",
        "'none'",
        "'none'",
        "'none'",
        "'none'",
      ]);
      expect([where, res.headers['x-content-type-options'], res.headers['x-frame-options'], res.headers['referrer-policy'], res.headers['x-powered-by']]).toEqual([
        where,
        'nosniff',
        'DENY',
        'no-referrer',
        undefined,
      ]);
      if (token) expect([where, res.headers['cache-control']]).toEqual([where, 'no-store']);
      // What the policy would block must not be there: no inline script, no inline handler.
      expect([where, res.text.match(/<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=/gi)]).toEqual([where, null]);
    }
  });

  it('keeps X-Powered-By off JSON answers too and no-store on the admin API', async () => {
    const res = await request(service.url).get('/api/admin-keys');
    expect(res.status).toBe(401);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  maybe(
    'in chromium: the survey script runs, a caught email shows with its styles, /docs renders, and the policy blocks nothing',
    async () => {
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
      const context = await browser.newContext();
      const violations: string[] = [];
      context.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      const page = await context.newPage();

      // The answer page's script records the score once the page has been visible for 2 s.
      const token = pages['answer page (loads /assets/survey.js)'].path.split('/')[2];
      await page.goto(service.url + `/s/${token}/7`);
      const recorded = await page.waitForResponse((res) => res.url().endsWith(`/s/${token}/score`) && res.request().method() === 'POST', { timeout: 10_000 });
      expect(recorded.status()).toBe(204);
      const [row] = await db.query(`SELECT r.score FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE r.score = 7`);
      expect(row).toEqual({ score: 7 });

      // A real survey email, caught: its HTML part is shown in a sandboxed iframe with its inline styles.
      const email = renderSurveyEmail({
        recipient: { email: 'pat@customer.example', firstName: 'Pat' },
        product: 'Beacon',
        company: 'Acme Inc',
        trigger: 'quarterly',
        defaultSender: { name: 'Acme', address: 'nps@acme.example' },
        sendingAddress: 'nps@acme.example',
        scoreUrl: (score) => `${service.url}/s/${token}/${score}`,
        unsubscribeUrl: `${service.url}/s/${token}/unsubscribe`,
      });
      await createTransport(MailTransport.fallbackUrl!).sendMail({ ...email, replyTo: email.replyTo ?? undefined });
      await page.goto(service.url + '/sandbox/mail');
      await page.getByRole('link', { name: email.subject }).click();
      const frame = page.frameLocator('iframe');
      const button = frame.getByRole('link', { name: 'Score 10 out of 10' });
      const fontWeight = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontWeight: string } }).getComputedStyle(el).fontWeight;
      expect(await button.evaluate(fontWeight)).toBe('700');

      await page.goto(service.url + '/docs');
      await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 15_000 });
      expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('nps-bridge');
      expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(5);

      expect(violations).toEqual([]);
      await context.close();
    },
    60_000,
  );
});
