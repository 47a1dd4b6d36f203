import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { CLOCK } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { sentSurvey } from './support/survey-answers';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
// CI installs Debian's chromium (.ci/run); a developer machine without it skips this one test, loudly.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: .ci/run installs it with apt`);
const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn(`skipping the browser test: no chromium at ${CHROMIUM} (apt-get install chromium)`);

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

/** Polls Postgres until `query` returns a row; the deadline is generous, the polling is not a sleep. */
async function waitForRow<T>(read: () => Promise<T[]>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await read();
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no row within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a person answers a survey in a real browser', () => {
  let service: TestService;
  let served: ListeningSandbox;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await service.close();
  });

  async function launch(): Promise<Browser> {
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    return browser;
  }

  maybe(
    'ticket solved in the Zendesk sandbox → caught email → clicks 4, comments → settled response with its snapshot',
    async () => {
      let now = Date.parse('2026-11-02T10:00:00Z');
      const clock = service.app.get(CLOCK);
      clock.now = () => new Date(now);
      const db = service.app.get(DataSource);
      await db.query(`UPDATE program_settings SET settings = $1`, [{ live: true, profile: { productName: 'Beacon', companyName: 'Acme Inc' } }]);
      const fx = new CrmFixtures(db);
      const crm = await fx.connection('crm');
      const account = await fx.account(crm, { externalId: '001ACME', arr: '48000.00', tier: 'Mid-Market', customerSince: '2026-06-01' });
      await fx.contact(crm, account, { email: 'pat@customer.example', firstName: 'Pat', role: 'end_user' });

      const zendesk = createZendeskSandbox({
        seed: 9,
        users: 2,
        tickets: 0,
        now: () => now,
        knownRequesters: [{ email: 'pat@customer.example', name: 'Pat Doe', organizationExternalId: '001ACME' }],
      });
      served = await listenSandbox(zendesk);
      const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
      await connectZendeskSandbox(service.url, auth, served.url);

      const ticket = zendesk.createTicket({ requesterEmail: 'pat@customer.example', organizationExternalId: '001ACME', subject: 'CSV export times out' });
      zendesk.solveTicket(ticket.id);
      await zendesk.webhooksDelivered();
      await service.app.get(TicketEvents).processDeliveries();
      now += 24 * 3600_000;
      expect(await service.app.get(SurveyDispatcher).dispatchDue()).toEqual({ sent: 1, skipped: 0, failed: 0 });
      const mail = await service.mail!.waitFor((m) => m.to.some((t) => t.address === 'pat@customer.example'), 5000);
      expect(mail.subject).toContain(`#${ticket.id}`);

      const page = await (await launch()).newPage({ viewport: { width: 390, height: 844 } }); // a phone
      await page.goto(`${service.url}/sandbox/mail/${mail.id}`);
      await page
        .frameLocator('iframe')
        .getByRole('link', { name: /^Score 4 out of 10$/ })
        .click();
      await page.waitForURL(/\/s\/[\w-]+\/4$/);
      expect(await page.getByRole('radio', { name: 'Score 4 out of 10' }).isChecked()).toBe(true);
      await page.getByLabel('What is the primary reason for your score?').fill('The export is slow and kept timing out.');
      // "Confirm score", or "Send" once the page's script has recorded the score.
      await page.getByRole('button', { name: /^(Confirm score|Send)$/ }).click();
      await page.getByRole('heading', { name: /thank/i }).waitFor();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'survey-thank-you.png'), fullPage: true });

      const [response] = await db.query(
        `SELECT r.score, r.category, r.comment, r.settled_at IS NOT NULL AS settled, r.stream, r.trigger, r.role_snapshot,
              r.tier_snapshot, r.arr_band_snapshot, r.tenure_band_snapshot, r.themes
       FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.source_ref = $1`,
        [String(ticket.id)],
      );
      expect(response).toEqual({
        score: 4,
        category: 'detractor',
        comment: 'The export is slow and kept timing out.',
        settled: true,
        stream: 'transactional',
        trigger: 'ticket_solved',
        role_snapshot: 'end_user',
        tier_snapshot: 'Mid-Market',
        arr_band_snapshot: '10k_50k',
        tenure_band_snapshot: '91_180d',
        themes: expect.arrayContaining(['performance']),
      });
      expect(existsSync(join(ARTIFACTS, 'survey-thank-you.png'))).toBe(true);
    },
    60_000,
  );
  /** A sent survey for a new contact; returns its token and survey id. */
  async function openSurvey(): Promise<{ token: string; surveyId: string }> {
    const db = service.app.get(DataSource);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('crm');
    const account = await fx.account(crm, {});
    const email = `person-${Math.random().toString(36).slice(2)}@customer.example`;
    const contact = await fx.contact(crm, account, { email, role: 'admin' });
    const token = await sentSurvey(db, { trigger: 'quarterly', email, contactId: contact, accountId: account, sentAt: service.app.get(CLOCK).now() });
    const [survey] = await db.query(`SELECT id FROM surveys WHERE email = $1`, [email]);
    return { token, surveyId: survey.id };
  }

  const responseOf = (surveyId: string) =>
    service.app.get(DataSource).query(`SELECT score, settled_at FROM responses WHERE survey_id = $1`, [surveyId]) as Promise<Array<{ score: number; settled_at: Date | null }>>;

  /** Every POST the page sends to record a score. */
  function scorePosts(page: Page): Array<{ at: number; body: string | null }> {
    const posts: Array<{ at: number; body: string | null }> = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/score')) posts.push({ at: Date.now(), body: r.postData() });
    });
    return posts;
  }

  maybe(
    'a person who keeps the score page visible for 2 seconds has the score recorded, unsettled',
    async () => {
      const { token, surveyId } = await openSurvey();
      const page = await (await launch()).newPage({ viewport: { width: 1280, height: 900 } });
      const posts = scorePosts(page);
      // The page cannot be shown before it is asked for, and the test hears of its POST after it was sent: so a page that waits
      // 2 s of visibility posts at least 2 s after this moment however slowly the machine loads it (goto's return is no such bound).
      const askedAt = Date.now();
      await page.goto(`${service.url}/s/${token}/8`);
      const response = await waitForRow(() => responseOf(surveyId));
      expect(response).toEqual({ score: 8, settled_at: null });
      expect(posts).toHaveLength(1);
      expect(posts[0].body).toBe('score=8&via=visible');
      expect(posts[0].at - askedAt).toBeGreaterThanOrEqual(2000); // not before 2 s of visibility
      await page.getByRole('status').filter({ hasText: 'Your score of 8 is saved' }).waitFor();
      expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);

      // Changing the score asks that category's question, offers the opt-in, and records the change.
      expect(await page.getByRole('checkbox', { name: "I'd be open to a reference call or case study" }).isVisible()).toBe(false);
      await page.locator('label[for="score-10"]').click();
      await page.getByLabel('What do you value most?').waitFor();
      expect(await page.getByRole('checkbox', { name: "I'd be open to a reference call or case study" }).isVisible()).toBe(true);
      await page.getByRole('status').filter({ hasText: 'Your score of 10 is saved' }).waitFor();
      expect((await responseOf(surveyId))[0]).toEqual({ score: 10, settled_at: null });
      await page.close();
    },
    60_000,
  );

  maybe(
    'a visit that leaves after 0.5 s, or is visible for under 2 s in total, records nothing',
    async () => {
      const { token, surveyId } = await openSurvey();
      const context = await (await launch()).newContext();
      // The page's own clock: time passes only when the test says so, so "0.5 s" is exact.
      const start = Date.parse('2026-11-10T09:00:00Z');
      const scanner = await context.newPage();
      await scanner.clock.install({ time: start });
      await scanner.clock.pauseAt(start + 1000);
      const scannerPosts = scorePosts(scanner);
      await scanner.goto(`${service.url}/s/${token}/10`);
      await scanner.clock.runFor(500);
      await scanner.close();
      expect(scannerPosts).toEqual([]);

      // Hidden time does not count: 1.5 s visible, a long while hidden, 0.4 s visible again.
      const person = await context.newPage();
      await person.clock.install({ time: start });
      await person.clock.pauseAt(start + 1000);
      const posts = scorePosts(person);
      await person.goto(`${service.url}/s/${token}/3`);
      await person.clock.runFor(1500);
      // What the browser does when the tab is switched away and back (as page source: no DOM types here).
      const setVisibility = (state: 'visible' | 'hidden') =>
        person.evaluate(
          `Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
         document.dispatchEvent(new Event('visibilitychange'));`,
        );
      await setVisibility('hidden');
      await person.clock.runFor(60_000);
      await setVisibility('visible');
      await person.clock.runFor(400);
      expect(posts).toEqual([]);
      expect(await responseOf(surveyId)).toEqual([]);
      // The last 0.1 s of the 2 s: now it counts.
      await person.clock.runFor(150);
      expect(await waitForRow(() => responseOf(surveyId))).toEqual({ score: 3, settled_at: null });
      expect(posts.map((p) => p.body)).toEqual(['score=3&via=visible']);
      await context.close();
    },
    60_000,
  );

  maybe(
    'without JavaScript the form records score and comment at "Confirm score"',
    async () => {
      const { token, surveyId } = await openSurvey();
      const context = await (await launch()).newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${service.url}/s/${token}/9`);
      await page.locator('label[for="score-7"]').click(); // the visible tile a person taps
      expect(await page.getByRole('radio', { name: 'Score 7 out of 10' }).isChecked()).toBe(true);
      await page.getByLabel('What do you value most?').fill('Fast answers');
      await page.getByRole('button', { name: 'Confirm score' }).click();
      await page.getByRole('heading', { name: /thank/i }).waitFor();
      const [response] = await service.app.get(DataSource).query(`SELECT score, comment, settled_at IS NOT NULL AS settled FROM responses WHERE survey_id = $1`, [surveyId]);
      expect(response).toEqual({ score: 7, comment: 'Fast answers', settled: true });
      await context.close();
    },
    60_000,
  );
});
