import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Launched } from '@apps/all-in-one/src/roots';
import { AXE_VIEWPORTS, AxeFinding, seriousAxeViolations } from './support/axe';
import { crmSynced, startDemo } from './support/demo-service';
import { createTestDatabase, TestDatabase } from './support/test-database';

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
/** Enough to reach every list and one record of each from the index, without walking every record. */
const MAX_PAGES = 40;

/** The sandbox pages a newcomer browses (index, record lists and records, caught mail): axe at 390 and 1280 px, no script. */
describe('sandbox pages pass axe and read without JavaScript', () => {
  let db: TestDatabase;
  let dataDir: string;
  let demo: Launched & { url: string };
  let browser: Browser | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'npsb-sandbox-pages-'));
    demo = await startDemo(db.url, dataDir);
    await crmSynced(demo.app.get(DataSource));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  maybe(
    'every page reachable from /sandbox (two links deep) has no serious or critical violations and no script',
    async () => {
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
      // Crawl without JavaScript: the pages must read (and link on) without it.
      const crawler = await browser.newContext({ javaScriptEnabled: false });
      const page = await crawler.newPage();
      const seen = new Set<string>();
      let frontier = ['/sandbox', '/sandbox/mail'];
      for (let depth = 0; depth < 3 && frontier.length && seen.size < MAX_PAGES; depth++) {
        const next: string[] = [];
        for (const path of frontier) {
          if (seen.has(path) || seen.size >= MAX_PAGES) continue;
          seen.add(path);
          const response = await page.goto(`${demo.url}${path}`);
          expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
          expect({ path, scripts: await page.locator('script').count() }).toEqual({ path, scripts: 0 });
          const links = await page.locator('a[href^="/sandbox/records/"], a[href^="/sandbox/mail/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
          // One record per list is enough: record pages of a kind share one template.
          const perList = new Map<string, string>();
          for (const href of links.map((h) => h.split('#')[0])) {
            const list = href.replace(/\/[^/?]+$/, '');
            if (!href.includes('?') && !perList.has(list)) perList.set(list, href);
          }
          next.push(...links.filter((h) => !/\/[^/?]+\/[^/?]+\/[^/?]+\/[^/?]+$/.test(h)), ...perList.values());
        }
        frontier = [...new Set(next)];
      }
      await crawler.close();
      expect(seen.size).toBeGreaterThan(8); // index, mail, account/contact/task lists of the CRMs, tickets, and records

      const found: Record<string, AxeFinding[]> = {};
      for (const viewport of AXE_VIEWPORTS) {
        const context = await browser.newContext({ viewport });
        const tab = await context.newPage();
        for (const path of seen) {
          await tab.goto(`${demo.url}${path}`);
          const violations = await seriousAxeViolations(tab);
          if (violations.length) found[`${path} @ ${viewport.width}px`] = violations;
        }
        await context.close();
      }
      expect(found).toEqual({});
    },
    180_000,
  );
});
