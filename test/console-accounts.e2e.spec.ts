import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { CrmFixtures } from './support/crm-fixtures';
import { ReportDataset, startReportService } from './support/report-dataset';
import { TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console accounts browser tests: no chromium (apt-get install chromium)');

const ADMIN = { email: 'ari@acme.example', password: 'accounts admin password' };
const VIEWER = { email: 'lou@acme.example', password: 'accounts viewer password' };
const PHONE = AXE_VIEWPORTS[0];
const nps = new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });

/**
 * Accounts and people in the console (issue 16 part 5) over the known report dataset (clock
 * 2026-06-15): search, the account page (answers, roles, NPS by quarter as a chart and a table,
 * health quadrant, follow-ups with links to the answer's page), the person page (answers, surveys
 * sent and skipped with their reason, next planned survey, unsubscribe state). The pages show what
 * GET /api/reports/accounts/:id and /people/:id answer.
 */
describe('console: accounts and people', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  let db: DataSource;
  let browser: Browser | undefined;
  let detractorAnswer: string;

  beforeAll(async () => {
    ({ service, auth, data } = await startReportService());
    db = service.app.get(DataSource);
    await makeConsoleUser(service.app, ADMIN.email, ADMIN.password, 'admin');
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    const { a1 } = data.accounts;
    const { dm1, eu1, eu2 } = data.contacts;
    await db.query(`UPDATE accounts SET name = 'Northwind Traders', external_id = '001NW00001', renewal_date = '2026-12-01' WHERE id = $1`, [a1]);
    for (const [id, first, last] of [
      [dm1, 'Dana', 'Decider'],
      [eu1, 'Eli', 'User'],
      [eu2, 'Eve', 'Other'],
    ]) {
      await db.query(`UPDATE contacts SET first_name = $2, last_name = $3 WHERE id = $1`, [id, first, last]);
    }
    // Follow-ups as the settle leaves them: an overdue detractor call, a promoter ask closed in the CRM.
    [{ id: detractorAnswer }] = await db.query(`SELECT id FROM responses WHERE contact_id = $1 AND score = 3`, [eu1]);
    const [promoter] = await db.query(`SELECT id FROM responses WHERE contact_id = $1 AND trigger = 'pre_renewal'`, [dm1]);
    await db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, due_at, priority, subject, body, target_system, status, completed_at, external_id)
       VALUES ($1, 'detractor_call', 'account_owner', '2026-05-04T10:00:00Z', 'high', 'Call Eli about their 3', 'Call them', 'crm', 'open', NULL, '00T001'),
              ($2, 'advocacy_ask', 'account_owner', '2026-04-17T10:00:00Z', 'low', 'Ask Dana for a reference', 'Ask', 'crm', 'completed', '2026-04-12T15:00:00Z', '00T002')`,
      [detractorAnswer, promoter.id],
    );
    // Dana: a survey skipped (suppressed) and the next one planned; Eve unsubscribed.
    for (const [status, reason, at] of [
      ['scheduled', null, '2026-07-01T09:00:00Z'],
      ['skipped', 'suppressed', '2026-03-01T09:00:00Z'],
    ]) {
      await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, skip_reason, scheduled_at, contact_id)
         VALUES ('relational', 'quarterly', gen_random_uuid()::text, 'dana@northwind.example', $1, $2, $3, $4)`,
        [status, reason, at, dm1],
      );
    }
    const [eve] = await db.query(`SELECT email FROM contacts WHERE id = $1`, [eu2]);
    await db.query(`INSERT INTO opt_outs (email, opted_out_at) VALUES (lower($1), '2026-05-04T08:00:00Z')`, [eve.email]);
    // Enough accounts for more than one page of results.
    const fx = new CrmFixtures(db);
    const conn = await fx.connection('crm');
    for (let i = 1; i <= 30; i++) await fx.account(conn, { name: `Paged Account ${String(i).padStart(2, '0')}`, externalId: `PAGED-${i}` });
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const api = async (path: string) => (await request(service.url).get(path).set(auth)).body;

  maybe(
    'without JavaScript, a viewer finds an account, reads its answers, health quadrant, NPS by quarter and follow-ups, opens an answer and a person with a skipped survey',
    async () => {
      const account = await api(`/api/reports/accounts/${data.accounts.a1}`);
      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, VIEWER.email, VIEWER.password);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Accounts' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Accounts');

      // By CRM id (its start), then by part of the name.
      await page.getByLabel('Account name or CRM id').fill('001nw');
      await page.getByRole('button', { name: 'Search' }).click();
      expect(new URL(page.url()).search).toBe('?q=001nw');
      expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('1 account matches “001nw”');
      await page.getByLabel('Account name or CRM id').fill('northwind');
      await page.getByRole('button', { name: 'Search' }).click();
      const results = page.getByRole('table', { name: 'Accounts matching “northwind”, page 1' });
      const found = results.getByRole('row').filter({ hasText: 'Northwind Traders' });
      expect(await found.textContent()).toContain('001NW00001');
      expect(await found.textContent()).toContain('200,000');
      expect(await found.textContent()).toContain('Champion');
      await found.getByRole('link', { name: 'Northwind Traders' }).click();

      // The account page.
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Northwind Traders');
      const main = page.locator('main');
      expect(await main.textContent()).toContain('Renewal date2026-12-01');
      const grid = page.getByRole('table', { name: 'Health quadrants: sentiment by activity' });
      expect(await grid.locator('td.quadrant-current').textContent()).toBe('Champion (this account)');
      // NPS by quarter, per stream: the chart's text alternative and the table say what the API says.
      const relational = account.npsByQuarter.relational as Array<{ period: string; summary: { nps: number; n: number } }>;
      const chart = page.getByRole('img', { name: /^Relational NPS by quarter:/ });
      expect(await chart.getAttribute('aria-label')).toBe(
        `Relational NPS by quarter: ${relational.map((p) => `${p.period} ${nps.format(p.summary.nps)} from ${p.summary.n}`).join(', ')}.`,
      );
      expect(await page.locator('svg[role=img] [style], svg style').count()).toBe(0);
      const trend = page.getByRole('table', { name: 'Relational NPS by quarter' });
      for (const point of relational) expect(await trend.getByRole('row').filter({ hasText: point.period }).textContent()).toContain(nps.format(point.summary.nps));
      expect(await page.getByRole('img', { name: /^Transactional NPS by quarter:/ }).count()).toBe(1);
      // Answers and people.
      const answers = page.getByRole('table', { name: 'Answers, newest first (the latest 200)' });
      expect(await answers.getByRole('row').count()).toBe(1 + account.responses.length);
      expect(await answers.getByRole('row').nth(1).textContent()).toContain('may still change'); // the open 0
      const people = page.getByRole('table', { name: 'People, decision makers first' });
      expect(await people.getByRole('row').nth(1).textContent()).toContain('Dana Decider');
      expect(await people.getByRole('row').filter({ hasText: 'Eve Other' }).textContent()).toContain('unsubscribed');
      // Follow-ups and their state, each linking to its answer.
      const followUps = page.getByRole('table', { name: 'Follow-ups of its answers, newest first' });
      expect(await followUps.getByRole('row').filter({ hasText: 'Detractor call' }).textContent()).toContain('overdue');
      expect(await followUps.getByRole('row').filter({ hasText: 'Advocacy ask (promoter)' }).textContent()).toContain('closed');
      await followUps.getByRole('row').filter({ hasText: 'Detractor call' }).getByRole('link', { name: 'View the answer' }).click();

      // The answer's page: the permalink's view, with its follow-ups.
      expect(new URL(page.url()).pathname).toBe(`/console/responses/${detractorAnswer}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('NPS answer: 3 out of 10 (detractor)');
      expect(await page.getByRole('table', { name: 'Follow-ups of this answer' }).textContent()).toContain('Call Eli about their 3');
      expect(await page.getByRole('table', { name: 'This person’s earlier answers, newest first' }).textContent()).toContain('6 (detractor)');
      expect(await main.textContent()).toContain('QuadrantChampion');

      // Dana's page: the survey skipped and why, the next one planned, subscribed.
      await page.goto(`${service.url}/console/accounts/${data.accounts.a1}`);
      await page.getByRole('table', { name: 'People, decision makers first' }).getByRole('link', { name: 'Dana Decider' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dana Decider');
      const person = await api(`/api/reports/people/${data.contacts.dm1}`);
      expect(person.skipped).toContainEqual(expect.objectContaining({ status: 'skipped', skipReason: 'suppressed' }));
      const skipped = page.getByRole('table', { name: 'Surveys skipped or cancelled, with the reason, newest first' });
      expect(await skipped.textContent()).toContain('Skipped: they had another survey within the suppression window suppressed');
      expect(await skipped.textContent()).toContain('2026-03-01 09:00 UTC');
      expect(await main.textContent()).toContain('Quarterly wave (relational), scheduled for 2026-07-01 09:00 UTC');
      expect(await main.textContent()).toContain('subscribed every survey email lets them unsubscribe');
      expect(await page.getByRole('table', { name: 'Their answers, newest first' }).getByRole('row').count()).toBe(1 + person.answers.length);
      expect(await page.getByRole('table', { name: 'Surveys sent to them, newest first' }).getByRole('row').count()).toBe(1 + person.sent.length);
      await page.getByRole('link', { name: 'Northwind Traders' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Northwind Traders');

      // Eve unsubscribed.
      await page.goto(`${service.url}/console/people/${data.contacts.eu2}`);
      expect(await main.textContent()).toContain('unsubscribed since 2026-05-04 08:00 UTC: never surveyed again.');
      expect(await main.textContent()).toContain('None: they unsubscribed.');
      await context.close();
    },
    120_000,
  );

  it('search pages through its matches 25 at a time; a bad page or search is named; unknown ids are 404, malformed ones 400; admins read too', async () => {
    const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    const first = await viewer.get('/console/accounts?q=paged');
    expect(first.status).toBe(200);
    expect(first.text).toContain('30 accounts match “paged”');
    expect(first.text.match(/>Paged Account \d\d</g)).toHaveLength(25);
    expect(first.text).toContain('Page 1 of 2');
    const next = /href="(\/console\/accounts\?q=paged&amp;page=2)" rel="next"/.exec(first.text)![1].replace('&amp;', '&');
    const second = await viewer.get(next);
    expect(second.text.match(/>Paged Account \d\d</g)).toEqual(['>Paged Account 26<', '>Paged Account 27<', '>Paged Account 28<', '>Paged Account 29<', '>Paged Account 30<']);
    expect(second.text).toContain('href="/console/accounts?q=paged" rel="prev"');
    expect(second.text).not.toContain('rel="next"');
    // Past the last page: no rows, still the count. Wildcards match themselves.
    expect((await viewer.get('/console/accounts?q=paged&page=3')).text).toContain('There is no account on this page');
    expect((await viewer.get('/console/accounts?q=%25')).text).toContain('0 accounts match “%”');
    // Nothing searched: the form only, no list of every account.
    const empty = await viewer.get('/console/accounts');
    expect([empty.status, empty.text.includes('<table')]).toEqual([200, false]);

    const badPage = await viewer.get('/console/accounts?q=paged&page=abc');
    expect(badPage.status).toBe(400);
    expect(badPage.text).toContain('Page must be a whole number from 1 to 10000');
    const long = await viewer.get(`/console/accounts?q=${'x'.repeat(201)}`);
    expect([long.status, long.text.includes('Account name or CRM id must be at most 200 characters')]).toEqual([400, true]);

    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/console/accounts/${unknown}`, `/console/people/${unknown}`, `/console/responses/${unknown}`]) {
      const res = await viewer.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).toMatch(/no (account|person|response) with id 00000000-0000-4000-8000-000000000000/);
    }
    const malformed = await viewer.get('/console/people/42');
    expect([malformed.status, malformed.text.includes('id: must be a UUID')]).toEqual([400, true]);

    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    expect((await admin.get(`/console/accounts/${data.accounts.a1}`)).status).toBe(200);
    const signedOut = await request(service.url).get(`/console/accounts/${data.accounts.a1}`);
    expect([signedOut.status, signedOut.headers.location]).toEqual([302, `/console/login?next=${encodeURIComponent(`/console/accounts/${data.accounts.a1}`)}`]);
  });

  maybe(
    'every account and person page passes axe (no serious or critical violation) at 390 px and 1280 px, fits the phone, carries no script or style; screenshots saved',
    async () => {
      browser ??= await launchChromium();
      for (const viewport of AXE_VIEWPORTS) {
        const suffix = viewport.width === PHONE.width ? '-390' : '';
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await signInInBrowser(page, service.url, VIEWER.email, VIEWER.password);
        const check = async (target: Page, name: string, h1: string) => {
          expect([name, await target.getByRole('heading', { level: 1 }).textContent()]).toEqual([name, h1]);
          expect([name, viewport.width, await seriousAxeViolations(target)]).toEqual([name, viewport.width, []]);
          expect([name, viewport.width, await sidewaysOverflow(target)]).toEqual([name, viewport.width, 0]);
          expect([name, await target.locator('script, style, [style]').count()]).toEqual([name, 0]);
          await target.screenshot({ path: artifactPath(`${name}${suffix}`), fullPage: true });
        };
        await page.goto(`${service.url}/console/accounts`);
        await check(page, 'accounts', 'Accounts');
        await page.goto(`${service.url}/console/accounts?q=paged`);
        await check(page, 'accounts-search', 'Accounts');
        await page.goto(`${service.url}/console/accounts?q=paged&page=x`);
        await check(page, 'accounts-search-refused', 'Accounts');
        await page.goto(`${service.url}/console/accounts/${data.accounts.a1}`);
        await check(page, 'account', 'Northwind Traders');
        await page.goto(`${service.url}/console/accounts/${data.accounts.a4}`); // no answers, no health
        await check(page, 'account-without-answers', 'Acme Corp');
        await page.goto(`${service.url}/console/people/${data.contacts.dm1}`);
        await check(page, 'person', 'Dana Decider');
        await page.goto(`${service.url}/console/people/${data.contacts.eu2}`);
        await check(page, 'person-unsubscribed', 'Eve Other');
        await page.goto(`${service.url}/console/responses/${detractorAnswer}`);
        await check(page, 'response', 'NPS answer: 3 out of 10 (detractor)');
        await context.close();
      }
    },
    240_000,
  );
});
