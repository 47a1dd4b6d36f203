import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { quarterlyWave } from '@libs/nps/src';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, csrfOf, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console program browser tests: no chromium (apt-get install chromium)');

const ADMIN = { email: 'pat@acme.example', password: 'program admin password' };
const VIEWER = { email: 'vera@acme.example', password: 'program viewer password' };
const PHONE = AXE_VIEWPORTS[0];
const NOW = new Date('2026-10-30T08:00:00Z'); // a Friday; November (wave 1 of Q4) starts on the Sunday after

function idInWave(wave: number): string {
  for (;;) {
    const id = randomUUID();
    if (quarterlyWave(id) === wave) return id;
  }
}

/**
 * The program in the console (issue 16 part 3): every setting with its meaning and the admin API's
 * validation, the live switch with what is missing, and the plan preview by day, on the real
 * ProgramService and PlanService (clock fixed, accounts and contacts as a CRM sync leaves them).
 */
describe('console: the program', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;
  let auth: { Authorization: string };
  const program = async () => (await request(service.url).get('/api/program').set(auth)).body;
  const stored = async () => (await db.query(`SELECT settings FROM program_settings WHERE id = 1`))[0].settings;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    (service.app.get(CLOCK) as Clock).now = () => NOW;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('program pages', 'test')).key}` };
    await makeConsoleUser(service.app, ADMIN.email, ADMIN.password, 'admin');
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    const fx = new CrmFixtures(db);
    const conn = await fx.connection('crm');
    // Renews in 75 days: its decision maker gets a pre-renewal survey today (December's wave, not November's).
    const renewing = await fx.account(conn, { name: 'Renews Soon', renewalDate: '2027-01-13' });
    await fx.contact(conn, renewing, { id: idInWave(2), email: 'dm@renews.example', role: 'decision_maker' });
    // November's wave: one contact scheduled, one who unsubscribed and is skipped.
    const quiet = await fx.account(conn, { name: 'Quiet Co', renewalDate: null });
    await fx.contact(conn, quiet, { id: idInWave(1), email: 'wave@quiet.example' });
    await fx.contact(conn, quiet, { id: idInWave(1), email: 'gone@quiet.example', unsubscribed: true });
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  it('is for admins: a viewer gets 403 on every program page and form, the admin API is unchanged', async () => {
    const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    for (const path of ['/console/program', '/console/program/settings', '/console/program/plan', '/console/program/plan?days=7']) {
      const page = await viewer.get(path);
      expect([path, page.status]).toEqual([path, 403]);
      expect(page.text).toContain('This page is for admins.');
    }
    const token = csrfOf((await viewer.get('/console')).text);
    expect((await viewer.post('/console/program/live').type('form').send({ _csrf: token, live: 'true' })).status).toBe(403);
    expect((await viewer.post('/console/program/settings').type('form').send({ _csrf: token, 'rules.dailySendCap': '7' })).status).toBe(403);
    expect((await viewer.get('/console')).text).not.toContain('href="/console/program"');
    // A form without its token is refused before anything runs.
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    expect((await admin.post('/console/program/live').type('form').send({ live: 'true' })).status).toBe(403);
    expect(await program()).toMatchObject({ live: false, rules: { dailySendCap: 500 } });
  });

  maybe(
    'without JavaScript: going live is refused with what is missing; a bad value is named beside its field; the settings saved show in GET /api/program; then it goes live',
    async () => {
      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Program' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Program');
      expect(await page.locator('main').textContent()).toContain('Draft');
      const missing = ['Company name', 'Product name', 'Sender name', 'Sender email', 'Leadership owner (CRM user id)'];
      for (const item of missing) expect(await page.getByRole('listitem').filter({ hasText: item }).count()).toBe(1);

      // Going live now is refused, naming each missing item.
      await page.getByRole('button', { name: 'Go live' }).click();
      const refused = page.getByRole('alert');
      expect(await refused.textContent()).toContain('The program cannot go live yet');
      for (const item of missing) expect(await refused.textContent()).toContain(item);
      expect((await program()).live).toBe(false);

      // The settings page links each missing item to its field.
      await page.getByRole('link', { name: 'Set them on the settings page' }).first().click();
      await page.getByRole('link', { name: 'Leadership owner (CRM user id)' }).click();
      expect(new URL(page.url()).hash).toBe('#field-rules.leadershipOwnerId');

      // A bad value: the summary names the field, the field shows the same words, nothing is saved.
      await page.goto(`${service.url}/console/program/settings`);
      await page.getByLabel('Daily send cap').fill('0');
      await page.getByLabel('Sender email').fill('not-an-email');
      await page.getByRole('button', { name: 'Save settings' }).click();
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('Daily send cap must be a whole number from 1 to 100000');
      expect(await summary.textContent()).toContain('Sender email must be an email');
      expect(await page.locator('#field-rules\\.dailySendCap-error').textContent()).toBe('Daily send cap: must be a whole number from 1 to 100000');
      expect(await page.getByLabel('Daily send cap').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Daily send cap').inputValue()).toBe('0'); // what was typed stays
      await page.getByRole('link', { name: 'Daily send cap must be a whole number from 1 to 100000' }).click();
      expect(page.url()).toContain('#field-rules.dailySendCap');
      expect((await program()).rules.dailySendCap).toBe(500);
      expect((await program()).profile.senderEmail).toBeNull();

      // Everything fixed: the profile, the leadership owner, and a few rules.
      await page.getByLabel('Company name').fill('Acme Inc');
      await page.getByLabel('Product name').fill('Beacon');
      await page.getByLabel('Sender name').fill('Acme Customer Success');
      await page.getByLabel('Sender email').fill('nps@acme.example');
      await page.getByLabel('Leadership owner (CRM user id)').fill('005LEAD');
      await page.getByLabel('Daily send cap').fill('250');
      await page.getByLabel('Suppression window (days)').fill('45');
      await page.getByLabel('Window closes').fill('12:00');
      await page.getByRole('group', { name: 'Send days' }).getByLabel('Saturday').check();
      await page.getByRole('group', { name: 'Detractor call (relational detractor)' }).getByLabel('Due after (hours)').fill('24');
      await page.getByLabel('Alert emails').fill('cs-leads@acme.example\nvp@acme.example');
      await page.getByRole('button', { name: 'Save settings' }).click();
      expect(await page.getByRole('status').textContent()).toMatch(
        /^Saved: Company name, Product name, Sender name, Sender email, Send days, Window closes, Daily send cap, Suppression window/,
      );
      const saved = await program();
      expect(saved).toMatchObject({
        live: false,
        missing: [],
        profile: { companyName: 'Acme Inc', productName: 'Beacon', senderName: 'Acme Customer Success', senderEmail: 'nps@acme.example' },
        rules: {
          dailySendCap: 250,
          suppressionWindowDays: 45,
          sendWindowEnd: '12:00',
          sendWindowStart: '09:00',
          sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
          leadershipOwnerId: '005LEAD',
          followUp: { detractor: { dueHours: 24, priority: 'high' }, passive: { dueHours: 168, priority: 'normal' } },
        },
        alertEmails: ['cs-leads@acme.example', 'vp@acme.example'],
      });
      // Only what changed is stored (a changed follow-up case keeps its group whole); the rest stays on the defaults.
      expect(Object.keys((await stored()).rules).sort()).toEqual(['dailySendCap', 'followUp', 'leadershipOwnerId', 'sendDays', 'sendWindowEnd', 'suppressionWindowDays']);
      expect(await page.getByLabel('Daily send cap').inputValue()).toBe('250');

      // Saving again with nothing changed changes nothing.
      await page.getByRole('button', { name: 'Save settings' }).click();
      expect(await page.getByRole('status').textContent()).toBe('Nothing was changed.');

      // Now it can go live; and be paused, and go live again.
      await page.goto(`${service.url}/console/program`);
      expect(await page.locator('main').textContent()).toContain('Everything it needs is set: it can go live.');
      await page.getByRole('button', { name: 'Go live' }).click();
      expect(await page.getByRole('status').textContent()).toBe('The program is live: surveys go out inside the send window.');
      expect((await program()).live).toBe(true);
      await page.getByRole('button', { name: 'Pause sending' }).click();
      expect((await program()).live).toBe(false);
      await page.getByRole('button', { name: 'Go live' }).click();
      expect((await program()).live).toBe(true);

      // While live, clearing the leadership owner (escalation on) is refused beside the field.
      await page.goto(`${service.url}/console/program/settings`);
      await page.getByLabel('Leadership owner (CRM user id)').fill('');
      await page.getByRole('button', { name: 'Save settings' }).click();
      expect(await page.locator('#field-rules\\.leadershipOwnerId-error').textContent()).toContain('must be set while the program is live');
      expect((await program()).rules.leadershipOwnerId).toBe('005LEAD');
      await context.close();
    },
    120_000,
  );

  maybe(
    'the plan preview, by day and without JavaScript: a known contact scheduled and why, another skipped with the reason; filters in the URL',
    async () => {
      const api = (await request(service.url).get('/api/plan/preview?days=30').set(auth)).body;
      const pre = api.surveys.find((s: { email: string }) => s.email === 'dm@renews.example');
      expect(pre).toMatchObject({ day: '2026-10-30', trigger: 'pre_renewal', why: 'renews 2027-01-13 (75 days ahead)' });
      const wave = api.surveys.find((s: { email: string }) => s.email === 'wave@quiet.example');
      expect(api.skipped).toContainEqual(expect.objectContaining({ email: 'gone@quiet.example', reason: 'opted_out', day: '2026-10-30' }));

      browser ??= await launchChromium();
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
      await page.goto(`${service.url}/console/program`);
      await page.getByRole('navigation', { name: 'Program' }).getByRole('link', { name: 'Plan preview' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Plan preview');
      expect(await page.locator('main').textContent()).toContain(
        `From Friday 30 October 2026 for 30 days (UTC): ${api.surveys.length} surveys planned and ${api.skipped.length} ${api.skipped.length === 1 ? 'person' : 'people'} skipped`,
      );
      const today = page.getByRole('table', { name: 'Surveys planned on Friday 30 October 2026 (UTC)' });
      const row = today.getByRole('row').filter({ hasText: 'dm@renews.example' });
      expect(await row.textContent()).toContain('Renews Soon');
      expect(await row.textContent()).toContain('Pre-renewal (relational)');
      expect(await row.textContent()).toContain('renews 2027-01-13 (75 days ahead)');
      expect(await row.textContent()).toContain('09:00');
      const skipped = page.getByRole('table', { name: 'People skipped on Friday 30 October 2026' }).getByRole('row').filter({ hasText: 'gone@quiet.example' });
      expect(await skipped.textContent()).toContain('Skipped: they unsubscribed opted_out');
      expect(await skipped.textContent()).toContain('Quiet Co');
      // The wave contact on their day, reached from the calendar.
      expect(wave.day).toBe('2026-11-02'); // the first business day of November's wave
      const waveDay = 'Monday 2 November 2026';
      await page.locator(`.calendar a[href="#day-${wave.day}"]`).click();
      expect(page.url()).toContain(`#day-${wave.day}`);
      expect(await page.getByRole('table', { name: `Surveys planned on ${waveDay} (UTC)` }).textContent()).toContain('wave@quiet.example');

      // Filters live in the URL: only pre-renewal surveys.
      await page.getByLabel('Survey', { exact: true }).selectOption('pre_renewal');
      await page.getByLabel('Show').selectOption('surveys');
      await page.getByRole('button', { name: 'Show the plan' }).click();
      expect(new URL(page.url()).search).toBe('?days=30&trigger=pre_renewal&show=surveys&q=');
      expect(await page.locator('main').textContent()).toContain('1 survey planned and 0 people skipped (filtered)');
      expect(await page.locator('main').textContent()).not.toContain('wave@quiet.example');
      await page.goto(`${service.url}/console/program/plan?q=quiet&show=skips`);
      expect(await page.locator('main').textContent()).toContain('0 surveys planned and 1 person skipped (filtered)');

      // A bad filter is named beside it, as the admin API names it.
      const bad = await page.goto(`${service.url}/console/program/plan?days=91`);
      expect(bad?.status()).toBe(400);
      expect(await page.getByRole('alert').textContent()).toContain('Days ahead must be a whole number from 1 to 90');
      expect(await page.locator('#field-days-error').textContent()).toBe('Days ahead must be a whole number from 1 to 90');
      expect((await page.goto(`${service.url}/console/program/plan?trigger=nope`))?.status()).toBe(400);
      expect(await page.locator('#field-trigger-error').textContent()).toBe('Survey must be one of quarterly, pre_renewal, ticket_solved');
      // The preview wrote nothing.
      expect(await db.query(`SELECT count(*)::int AS n FROM surveys`)).toEqual([{ n: 0 }]);
      await context.close();
    },
    120_000,
  );

  maybe(
    'every program page passes axe (no serious or critical violation) at 390 px and 1280 px, fits the phone, carries no script or style; screenshots saved',
    async () => {
      browser ??= await launchChromium();
      for (const viewport of AXE_VIEWPORTS) {
        const suffix = viewport.width === PHONE.width ? '-390' : '';
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
        const check = async (target: Page, name: string, h1: string) => {
          expect([name, await target.getByRole('heading', { level: 1 }).textContent()]).toEqual([name, h1]);
          expect([name, viewport.width, await seriousAxeViolations(target)]).toEqual([name, viewport.width, []]);
          expect([name, viewport.width, await sidewaysOverflow(target)]).toEqual([name, viewport.width, 0]);
          expect([name, await target.locator('script, style, [style]').count()]).toEqual([name, 0]);
          await target.screenshot({ path: artifactPath(`${name}${suffix}`), fullPage: true });
        };
        await page.goto(`${service.url}/console/program`);
        await check(page, 'program', 'Program');
        await page.goto(`${service.url}/console/program/settings`);
        await check(page, 'program-settings', 'Program settings');
        await page.getByLabel('Time zone').fill('Mars/Olympus');
        await page.getByRole('button', { name: 'Save settings' }).click();
        expect(await page.getByRole('alert').textContent()).toContain('Time zone "Mars/Olympus" is not an IANA time zone');
        await check(page, 'program-settings-refused', 'Program settings');
        await page.goto(`${service.url}/console/program/plan`);
        await check(page, 'program-plan', 'Plan preview');
        // A draft still missing something: the overview, its refused switch, the settings page's list.
        const before = await program();
        expect(
          (
            await request(service.url)
              .put('/api/program')
              .set(auth)
              .send({ live: false, rules: { leadershipOwnerId: null } })
          ).status,
        ).toBe(200);
        await page.goto(`${service.url}/console/program`);
        await check(page, 'program-draft', 'Program');
        await page.getByRole('button', { name: 'Go live' }).click();
        await check(page, 'program-live-refused', 'Program');
        await page.goto(`${service.url}/console/program/settings`);
        await check(page, 'program-settings-missing', 'Program settings');
        expect(
          (
            await request(service.url)
              .put('/api/program')
              .set(auth)
              .send({ rules: { leadershipOwnerId: before.rules.leadershipOwnerId }, live: before.live })
          ).status,
        ).toBe(200);
        await page.goto(`${service.url}/console/program/plan?days=0`);
        await check(page, 'program-plan-refused', 'Plan preview');
        await context.close();
      }
    },
    240_000,
  );
});
