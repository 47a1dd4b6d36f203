import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { chromium, Browser } from 'playwright-core';
import { Launched, start } from '@apps/all-in-one/src/roots';
import { MailTransport } from '@libs/app/src/delivery/mail-transport';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run); a developer machine without it skips this test, loudly.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: .ci/run installs it with apt`);
const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn(`skipping the mail catcher phone test: no chromium at ${CHROMIUM} (apt-get install chromium)`);

const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 390, height: 844 };

describe('the mail catcher on a phone', () => {
  let dataDir: string;
  let sandbox: Launched & { url: string };
  let browser: Browser | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'npsb-mail-phone-'));
    const launched = await start({ api: false, worker: false, sandbox: true }, { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    sandbox = { ...launched, url: launched.url! };
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  maybe(
    'lists long subjects and addresses at 390 px without a horizontal scroll, and so does a message',
    async () => {
      const smtp = nodemailer.createTransport(MailTransport.fallbackUrl!);
      const recipient = 'alexandra.konstantinopoulou-whitfield@procurement.northwind-traders-international.example';
      for (const subject of ['Quick question from Acme Inc.', `How did we do on request #${'4'.repeat(40)}? ${'Thinking-about-your-request-'.repeat(4)}`]) {
        await smtp.sendMail({ from: 'Dana Reyes at Acme Inc. <nps@acme.example>', to: `Alexandra Konstantinopoulou <${recipient}>`, subject, text: 'Hi' });
      }
      smtp.close();
      const caught = await sandbox.mail!.waitFor((m) => m.subject.startsWith('How did we do'));

      browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
      const page = await browser.newPage({ viewport: PHONE });
      // How far the page scrolls sideways (evaluated in the page, which has a DOM; this file does not).
      const overflow = async () => Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

      await page.goto(`${sandbox.url}/sandbox/mail`);
      expect(await page.getByRole('link', { name: 'Quick question from Acme Inc.' }).isVisible()).toBe(true);
      expect(await page.getByText(recipient).first().isVisible()).toBe(true);
      expect(await overflow()).toBe(0);

      await page.goto(`${sandbox.url}/sandbox/mail/${encodeURIComponent(caught.id)}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(caught.subject);
      expect(await overflow()).toBe(0);
    },
    60_000,
  );
});
