import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { AlertEvaluation } from '@libs/app/src/alerts/alert-evaluation';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { CLOCK, Clock } from '@libs/config/src';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, csrfOf, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console alerts browser tests: no chromium (apt-get install chromium)');

const ADMIN = { email: 'ali@acme.example', password: 'alerts admin password' };
const VIEWER = { email: 'val@acme.example', password: 'alerts viewer password' };
const PHONE = AXE_VIEWPORTS[0];
const COVERAGE_Q4 = 'relational revenue coverage is 0 % of active ARR (0.00 of 120000.00), below 80 %';

/**
 * Alerts in the console (issue 16 part 4, alerts with acknowledge): alerts raised by the real rules
 * (revenue coverage in two quarters, an emerging theme from settled answers), listed with their
 * state for viewers and admins, filtered by state in the URL, acknowledged by an admin only.
 */
describe('console: alerts', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;
  let auth: { Authorization: string };
  let now = Date.parse('2026-11-03T10:00:00Z');
  const alerts = async (query = '') =>
    (await request(service.url).get(`/api/alerts${query}`).set(auth)).body as Array<{ id: string; message: string; state: string; period: string; kind: string }>;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    (service.app.get(CLOCK) as Clock).now = () => new Date(now);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('alerts pages', 'test')).key}` };
    await makeConsoleUser(service.app, ADMIN.email, ADMIN.password, 'admin');
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    const fx = new CrmFixtures(db);
    await fx.account(await fx.connection('crm'), { arr: '120000.00' });
    // Alerts go by email from the first one on (no worker here: the email waits in the outbox).
    expect(
      (
        await request(service.url)
          .put('/api/program')
          .set(auth)
          .send({ alertEmails: ['cs-leads@acme.example'] })
      ).status,
    ).toBe(200);
    const evaluation = service.app.get(AlertEvaluation);
    expect(await evaluation.evaluateDaily()).toBe(1); // revenue coverage, 2026-Q4
    now = Date.parse('2027-01-05T09:00:00Z');
    expect(await evaluation.evaluateDaily()).toBe(1); // the same cause in a new quarter
    // Five detractor comments about speed in a quarter: an emerging theme, raised when the fifth settles.
    now += 3_600_000;
    for (let i = 0; i < 5; i++) {
      const [survey] = await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, scheduled_at, sent_at)
         VALUES ('transactional', 'ticket_solved', $1, $2, 'answered', $3, $3) RETURNING id`,
        [randomUUID(), `${randomUUID().slice(0, 8)}@customer.example`, new Date(now - 3_600_000)],
      );
      await db.query(
        `INSERT INTO responses (survey_id, stream, trigger, score, category, comment, first_answered_at, last_changed_at)
         VALUES ($1, 'transactional', 'ticket_solved', 3, 'detractor', 'Every page is so slow', $2, $2)`,
        [survey.id, new Date(now - 3_600_000)],
      );
    }
    expect(await service.app.get(ResponseSettler).settleDue()).toBe(5);
    expect((await alerts()).map((a) => `${a.kind} ${a.period} ${a.state}`)).toEqual(['emerging_theme 2027-Q1 new', 'revenue_coverage 2027-Q1 new', 'revenue_coverage 2026-Q4 new']);
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  maybe(
    'a viewer sees every alert with its state and where it was sent, without JavaScript, and cannot acknowledge (403)',
    async () => {
      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, VIEWER.email, VIEWER.password);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerts' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Alerts');
      const table = page.getByRole('table', { name: 'Alerts, newest first' });
      expect(await table.getByRole('row').count()).toBe(4);
      const q4 = table.getByRole('row').filter({ hasText: '2026-Q4' });
      expect(await q4.textContent()).toContain(COVERAGE_Q4);
      expect(await q4.textContent()).toContain('Revenue coverage, relational, 2026-Q4');
      expect(await q4.textContent()).toContain('new');
      expect(await q4.textContent()).toContain('Email: waiting');
      expect(await table.getByRole('row').filter({ hasText: 'Emerging theme' }).textContent()).toContain(
        'transactional theme performance is emerging in 2027-Q1: 5 detractor comments',
      );
      expect(await page.getByRole('button', { name: /^Acknowledge/ }).count()).toBe(0);
      await context.close();

      const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
      const [alert] = await alerts('?state=new');
      const refused = await viewer
        .post(`/console/alerts/${alert.id}/acknowledge`)
        .type('form')
        .send({ _csrf: csrfOf((await viewer.get('/console/alerts')).text) });
      expect(refused.status).toBe(403);
      expect((await alerts('?state=acknowledged')).length).toBe(0);
    },
    60_000,
  );

  maybe(
    'an admin acknowledges an alert without JavaScript: its state changes in the console and in GET /api/alerts; filters by state are in the URL',
    async () => {
      const q4 = (await alerts()).find((a) => a.period === '2026-Q4')!;
      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
      await page.goto(`${service.url}/console/alerts`);
      await Promise.all([page.waitForURL(`${service.url}/console/alerts`), page.getByRole('button', { name: `Acknowledge the 2026-Q4 alert: ${COVERAGE_Q4}` }).click()]);
      expect(await page.getByRole('status').textContent()).toBe(`Acknowledged the 2026-Q4 alert: ${COVERAGE_Q4}`);
      const row = page.getByRole('table', { name: 'Alerts, newest first' }).getByRole('row').filter({ hasText: '2026-Q4' });
      expect(await row.textContent()).toContain('acknowledged 2027-01-05 10:00 UTC');
      expect((await alerts('?state=acknowledged')).map((a) => a.id)).toEqual([q4.id]);

      // Filters by state: links whose address says which.
      await page.getByRole('navigation', { name: 'Which alerts' }).getByRole('link', { name: 'New' }).click();
      expect(new URL(page.url()).search).toBe('?state=new');
      const fresh = page.getByRole('table', { name: 'New alerts, newest first' });
      expect(await fresh.getByRole('row').count()).toBe(3);
      expect(await fresh.textContent()).not.toContain('2026-Q4');
      // Acknowledging from the filtered list comes back to it.
      const theme = (await alerts()).find((a) => a.kind === 'emerging_theme')!;
      await Promise.all([
        page.waitForURL(`${service.url}/console/alerts?state=new`),
        page.getByRole('button', { name: `Acknowledge the 2027-Q1 alert: ${theme.message}` }).click(),
      ]);
      expect(await page.getByRole('table', { name: 'New alerts, newest first' }).getByRole('row').count()).toBe(2);
      await page.getByRole('navigation', { name: 'Which alerts' }).getByRole('link', { name: 'Acknowledged' }).click();
      const done = page.getByRole('table', { name: 'Acknowledged alerts, newest first' });
      expect(await done.getByRole('row').count()).toBe(3);
      expect(await done.getByRole('button').count()).toBe(0);
      expect((await alerts('?state=new')).map((a) => a.period)).toEqual(['2027-Q1']);
      await context.close();
    },
    60_000,
  );

  it('a bad state is a 400 naming it; an unknown alert is a 404; acknowledging twice keeps the first time', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const bad = await admin.get('/console/alerts?state=open');
    expect([bad.status, bad.text.includes('state: must be one of new, acknowledged')]).toEqual([400, true]);
    const token = csrfOf((await admin.get('/console/alerts')).text);
    const unknown = await admin.post('/console/alerts/00000000-0000-4000-8000-000000000000/acknowledge').type('form').send({ _csrf: token });
    expect([unknown.status, unknown.text.includes('no alert with id 00000000-0000-4000-8000-000000000000')]).toEqual([404, true]);
    expect((await admin.post('/console/alerts/42/acknowledge').type('form').send({ _csrf: token })).status).toBe(400);
    expect((await admin.post('/console/alerts/00000000-0000-4000-8000-000000000000/acknowledge').type('form').send({})).status).toBe(403); // no token
    const q4 = (await alerts()).find((a) => a.period === '2026-Q4')!;
    expect((await admin.post(`/console/alerts/${q4.id}/acknowledge`).type('form').send({ _csrf: token })).status).toBe(303);
    const [before] = await db.query(`SELECT acknowledged_at FROM alerts WHERE id = $1`, [q4.id]);
    expect(before.acknowledged_at).toBeInstanceOf(Date);
    now += 60_000;
    const again = await admin.post(`/console/alerts/${q4.id}/acknowledge`).type('form').send({ _csrf: token, state: 'acknowledged' });
    expect([again.status, again.headers.location]).toEqual([303, '/console/alerts?state=acknowledged']);
    expect(await db.query(`SELECT acknowledged_at FROM alerts WHERE id = $1`, [q4.id])).toEqual([before]);
  });

  maybe(
    'the alert pages pass axe (no serious or critical violation) at 390 px and 1280 px, fit the phone, carry no script or style; screenshots saved',
    async () => {
      browser ??= await launchChromium();
      for (const viewport of AXE_VIEWPORTS) {
        const suffix = viewport.width === PHONE.width ? '-390' : '';
        for (const who of [ADMIN, VIEWER]) {
          const context = await browser.newContext({ viewport });
          const page = await context.newPage();
          await signInInBrowser(page, service.url, who.email, who.password);
          const check = async (target: Page, name: string) => {
            expect([name, await target.getByRole('heading', { level: 1 }).textContent()]).toEqual([name, 'Alerts']);
            expect([name, viewport.width, await seriousAxeViolations(target)]).toEqual([name, viewport.width, []]);
            expect([name, viewport.width, await sidewaysOverflow(target)]).toEqual([name, viewport.width, 0]);
            expect([name, await target.locator('script, style, [style]').count()]).toEqual([name, 0]);
            await target.screenshot({ path: artifactPath(`${name}${suffix}`), fullPage: true });
          };
          const role = who === VIEWER ? '-viewer' : '';
          await page.goto(`${service.url}/console/alerts`);
          await check(page, `alerts${role}`);
          await page.goto(`${service.url}/console/alerts?state=new`);
          await check(page, `alerts-new${role}`);
          await page.goto(`${service.url}/console/alerts?state=acknowledged`);
          await check(page, `alerts-acknowledged${role}`);
          await context.close();
        }
      }
    },
    240_000,
  );
});
