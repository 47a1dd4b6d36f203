import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ResponsePermalinkService } from '@libs/app/src/responses/response-permalink.service';
import { CLOCK } from '@libs/config/src';
import { AXE_VIEWPORTS, AxeFinding, seriousAxeViolations } from './support/axe';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { answer, sentSurvey } from './support/survey-answers';

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
const DAY = 86_400_000;

/** Every page a respondent or a CSM following a task link can meet, checked by axe on a phone and a desktop. */
describe('respondent pages pass axe at 390 and 1280 px', () => {
  let service: TestService;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  maybe(
    'score, comment, thank-you, unsubscribe, expired, unknown and permalink pages have no serious or critical violations',
    async () => {
      const db = service.app.get(DataSource);
      const now = service.app.get(CLOCK).now();
      await db.query(`UPDATE program_settings SET settings = $1`, [{ profile: { productName: 'Beacon', companyName: 'Acme Inc.' } }]);
      const fx = new CrmFixtures(db);
      const crm = await fx.connection('crm');
      const account = await fx.account(crm, { arr: '48000.00', tier: 'Mid-Market' });
      const survey = async (email: string, sentAt = now) => {
        const contact = await fx.contact(crm, account, { email, role: 'decision_maker' });
        return sentSurvey(db, { trigger: 'quarterly', email, contactId: contact, accountId: account, sentAt });
      };
      const open = await survey('open@customer.example');
      const answered = await survey('answered@customer.example');
      await answer(service.url, answered, 3, 'Too slow');
      const old = await survey('old@customer.example', new Date(now.getTime() - 40 * DAY));
      const [{ id: responseId }] = await db.query(`SELECT r.id FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.email = 'answered@customer.example'`);
      const permalink = (await service.app.get(ResponsePermalinkService).issue(responseId, 'test')).url;
      await request(service.url).post(`/s/${open}/unsubscribe`).expect(200); // the "you are unsubscribed" state below

      const pages: Array<{ name: string; path: string; status: number }> = [
        { name: 'score page from a link', path: `/s/${answered}/8`, status: 200 },
        { name: 'score page without a score', path: `/s/${old.replace(/.$/, 'x')}`, status: 404 },
        { name: 'thank-you (settled answer)', path: `/s/${answered}`, status: 200 },
        { name: 'unsubscribe confirm', path: `/s/${answered}/unsubscribe`, status: 200 },
        { name: 'expired link', path: `/s/${old}/5`, status: 410 },
        { name: 'response permalink', path: new URL(permalink).pathname, status: 200 },
      ];
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
      const found: Record<string, AxeFinding[]> = {};
      for (const viewport of AXE_VIEWPORTS) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        for (const { name, path, status } of pages) {
          const response = await page.goto(`${service.url}${path}`);
          expect({ name, status: response?.status() }).toEqual({ name, status });
          const violations = await seriousAxeViolations(page);
          if (violations.length) found[`${name} @ ${viewport.width}px`] = violations;
        }
        await context.close();
      }
      expect(found).toEqual({});
    },
    90_000,
  );
});
