import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { listenSandbox, ListeningSandbox } from '../connectors/core/src';
import { createZendeskSandbox } from '../connectors/zendesk/sandbox';
import { AdminKeyService } from '../apps/api/src/admin-keys/admin-key.service';
import { SurveyDispatcher } from '../apps/worker/src/delivery/survey-dispatcher';
import { TicketEvents } from '../apps/worker/src/surveys/ticket-events';
import { CLOCK } from '../libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { connectZendeskSandbox } from './support/zendesk-connection';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
// CI installs Debian's chromium (.ci/run); a developer machine without it skips this one test, loudly.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: .ci/run installs it with apt`);
const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn(`skipping the browser test: no chromium at ${CHROMIUM} (apt-get install chromium)`);

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

  maybe('ticket solved in the Zendesk sandbox → caught email → clicks 4, comments → settled response with its snapshot', async () => {
    let now = Date.parse('2026-11-02T10:00:00Z');
    const clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    const db = service.app.get(DataSource);
    await db.query(`UPDATE program_settings SET settings = $1`, [{ profile: { productName: 'Beacon', companyName: 'Acme Inc' } }]);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('crm');
    const account = await fx.account(crm, { externalId: '001ACME', arr: '48000.00', tier: 'Mid-Market', customerSince: '2026-06-01' });
    await fx.contact(crm, account, { email: 'pat@customer.example', firstName: 'Pat', role: 'end_user' });

    const zendesk = createZendeskSandbox({ seed: 9, users: 2, tickets: 0, now: () => now, knownRequesters: [{ email: 'pat@customer.example', name: 'Pat Doe', organizationExternalId: '001ACME' }] });
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

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    await page.goto(`${service.url}/sandbox/mail/${mail.id}`);
    await page.frameLocator('iframe').getByRole('link', { name: /^Score 4 out of 10$/ }).click();
    await page.waitForURL(/\/s\/[\w-]+\/4$/);
    await page.getByLabel('What is the primary reason for your score?').fill('The export is slow and kept timing out.');
    await page.getByRole('button', { name: 'Send' }).click();
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
  }, 60_000);
});
