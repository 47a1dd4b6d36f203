import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AlertsRepository } from '@libs/db/src/repositories/alerts.repository';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { NOW, ReportDataset, startReportService } from './support/report-dataset';
import { TestService } from './support/service';

type Json = any;

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console dashboard browser tests: no chromium (apt-get install chromium)');

const VIEWER = { email: 'leader@acme.example', password: 'leader password 123' };
const ADMIN = { email: 'admin@acme.example', password: 'admin password 1234' };
const RANGE = 'from=2026-01-01&to=2026-06-15';

/** An NPS as a page shows it (rules §1): rounded once, half away from zero, with its sign; "—" when undefined. */
function shown(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const rounded = Math.sign(value) * Math.round(Math.abs(value)) || 0;
  return rounded > 0 ? `+${rounded}` : String(rounded);
}
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const flag = (value: boolean, word: string) => (value ? word : 'no');
const summaryCells = (s: Json) => [
  String(s.n),
  String(s.promoters),
  String(s.passives),
  String(s.detractors),
  shown(s.nps),
  shown(s.interval?.low),
  shown(s.interval?.high),
  flag(s.lowSample, 'low sample'),
];

/** The body rows of the table a page names so, cell texts. */
async function tableRows(page: Page, name: string): Promise<string[][]> {
  const table = page.getByRole('table', { name, exact: true });
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
}

/**
 * The dashboard (issue 16 part 4) over the known dataset of the report tests (clock 2026-06-15):
 * every report of /api/reports per stream, filters in the URL, a CSV beside each table, charts
 * as SVG with a text alternative, readable without JavaScript and accessible at both widths.
 */
describe('the console dashboard', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  let browser: Browser | undefined;
  const api = async (path: string) => {
    const res = await request(service.url).get(path).set(auth);
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };
  const signedIn = async (javaScriptEnabled: boolean, viewport: { width: number; height: number } = AXE_VIEWPORTS[1], who = VIEWER) => {
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport, javaScriptEnabled, acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, service.url, who.email, who.password);
    return { context, page };
  };

  beforeAll(async () => {
    ({ service, auth, data } = await startReportService());
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    await makeConsoleUser(service.app, ADMIN.email, ADMIN.password, 'admin');
    const db = service.app.get(DataSource);
    await db.query(`UPDATE accounts SET name = 'Northwind Traders' WHERE id = $1`, [data.accounts.a1]);
    await db.query(`UPDATE accounts SET name = 'Contoso' WHERE id = $1`, [data.accounts.a2]);
    // Two relational detractor follow-ups: one closed on time, one overdue at the clock (2026-06-15).
    const [closed] = await db.query(`SELECT id FROM responses WHERE contact_id = $1 AND score = 3`, [data.contacts.eu1]);
    const [overdue] = await db.query(`SELECT id FROM responses WHERE contact_id = $1 AND score = 5`, [data.contacts.eu2]);
    for (const [response, status, completedAt] of [
      [closed.id, 'completed', '2026-05-03T12:00:00Z'],
      [overdue.id, 'open', null],
    ]) {
      await db.query(
        `INSERT INTO follow_ups (response_id, kind, owner_kind, due_at, priority, subject, body, target_system, status, completed_at, created_at)
         VALUES ($1, 'detractor_call', 'account_owner', '2026-05-05T10:00:00Z', 'high', 'Call', 'Call them', 'crm', $2, $3, '2026-05-03T10:00:00Z')`,
        [response, status, completedAt],
      );
    }
    await new AlertsRepository(db.manager).raise(
      [
        {
          cause: 'role_gap:test',
          period: '2026-Q2',
          kind: 'role_gap',
          stream: 'relational',
          message: 'Northwind Traders: decision makers and end users differ by 63 points',
          details: {},
        },
        {
          cause: 'drop:test',
          period: '2026-Q2',
          kind: 'significant_drop',
          stream: 'transactional',
          message: 'Transactional NPS fell 150 points from 2026-Q1 to 2026-Q2',
          details: {},
        },
      ],
      new Date(NOW),
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  maybe(
    'shows every relational report with the numbers /api/reports gives for the same filters, without JavaScript',
    async () => {
      const { context, page } = await signedIn(false);
      expect((await page.goto(`${service.url}/console?${RANGE}`))?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
      expect(
        await page
          .getByRole('navigation', { name: 'Stream' })
          .getByRole('link', { name: /^Relational NPS/ })
          .getAttribute('aria-current'),
      ).toBe('page');

      const trend = (await api(`/api/reports/trend?${RANGE}`)).streams.relational;
      expect(await tableRows(page, 'Relational NPS by quarter')).toEqual(
        trend.map((p: Json) => [p.period, ...summaryCells(p.summary), shown(p.change?.change), p.change ? flag(p.change.significant, 'significant') : '—']),
      );
      expect(trend.map((p: Json) => [p.period, p.summary.nps])).toEqual([
        ['2026-Q1', 25],
        ['2026-Q2', 20],
      ]);

      const segments = (await api(`/api/reports/segments?${RANGE}`)).streams.relational;
      expect(await tableRows(page, 'Relational NPS by tier')).toEqual(['enterprise', 'mid', 'smb'].map((tier) => [tier, ...summaryCells(segments.tier[tier])]));
      // Bands in the rules' order, as labels.
      expect(await tableRows(page, 'Relational NPS by ARR band')).toEqual([
        ['10k–50k', ...summaryCells(segments.arrBand['10k_50k'])],
        ['50k–100k', ...summaryCells(segments.arrBand['50k_100k'])],
        ['100k–500k', ...summaryCells(segments.arrBand['100k_500k'])],
      ]);

      const weighted = (await api(`/api/reports/arr-weighted?${RANGE}`)).streams.relational;
      const tiles = await page.locator('#glance').innerText();
      expect(tiles).toContain(`NPS\n${shown(weighted.respondents.nps)}`);
      expect(tiles).toContain(`ARR-weighted NPS\n${shown(weighted.weighted.nps)}\neffective n ${Math.round(weighted.weighted.kishN * 10) / 10}`);

      const coverage = await api(`/api/reports/revenue-coverage?${RANGE}`);
      const [coverageRow] = await tableRows(page, 'Relational revenue coverage against its target');
      expect(coverageRow[4]).toBe(percent(coverage.share));
      expect(coverageRow[5]).toBe('80');
      expect(coverageRow[6]).toBe(flag(coverage.belowTarget, 'below target'));

      const distribution = await api(`/api/reports/account-distribution?${RANGE}`);
      expect(await tableRows(page, 'Relational NPS over accounts beside the NPS over respondents')).toEqual([
        ['Accounts (each once)', ...summaryCells(distribution.accountNps)],
        ['Respondents', ...summaryCells(distribution.respondentNps)],
      ]);

      const gaps = await api(`/api/reports/role-gap?${RANGE}`);
      const names: Record<string, string> = { [data.accounts.a1]: 'Northwind Traders', [data.accounts.a2]: 'Contoso' };
      expect(gaps.accounts.length).toBe(2);
      expect(await tableRows(page, 'Relational role gaps per account')).toEqual(
        gaps.accounts.map((a: Json) => [
          a.accountId,
          names[a.accountId],
          String(a.decisionMakers.n),
          shown(a.decisionMakers.nps),
          String(a.endUsers.n),
          shown(a.endUsers.nps),
          shown(a.gap),
          String(a.displayGap),
          flag(a.flagged, 'flagged'),
        ]),
      );
      expect(await page.locator('#accounts').innerText()).toContain(`${gaps.flagged} of ${gaps.total} accounts with both decision makers and end users heard are flagged`);

      const themes = (await api(`/api/reports/themes?${RANGE}`)).streams.relational;
      const themeRows = await tableRows(page, 'Relational themes per quarter');
      expect(themeRows.map((r) => [r[0], r[2], r[r.length - 1]])).toEqual(
        themes.flatMap((q: Json) => q.themes.map((t: Json) => [q.quarter, String(t.summary.n), flag(t.emerging, 'emerging')])),
      );

      const rate = (await api(`/api/reports/response-rate?${RANGE}`)).streams.relational;
      expect(await tableRows(page, 'Relational response rate')).toEqual([[String(rate.sent), String(rate.responses), percent(rate.rate)]]);
      expect((await tableRows(page, 'Relational surveys skipped or cancelled, by reason')).sort()).toEqual(
        Object.entries(rate.skipsByReason)
          .map(([reason, n]) => [reason.replace(/_/g, ' '), String(n)])
          .sort(),
      );

      const loop = (await api(`/api/loop-closure?${RANGE}`)).streams.relational;
      expect(loop.byCategory.detractor).toMatchObject({ closed: 1, overdue: 1, rate: 0.5 });
      expect((await tableRows(page, 'Relational loop closure by category')).map((r) => [r[0], r[1], r[3], r[5]])).toEqual([
        ['All', String(loop.overall.closed), String(loop.overall.overdue), percent(loop.overall.rate)],
        ['Detractors', '1', '1', '50%'],
        ['Passives', '0', '0', '—'],
        ['Promoters', '0', '0', '—'],
      ]);

      const alerts = await page.locator('#alerts').innerText();
      expect(alerts).toContain('Northwind Traders: decision makers and end users differ by 63 points');
      expect(alerts).not.toContain('Transactional NPS fell');
      expect(await page.locator('#alerts a[href="/console/alerts"]').count()).toBe(1);
      await context.close();
    },
    90_000,
  );

  maybe(
    'shows the transactional stream on its own: its numbers only, no account reports, its own triggers and alerts',
    async () => {
      const { context, page } = await signedIn(false);
      await page.goto(`${service.url}/console?${RANGE}`);
      await Promise.all([
        page.waitForURL(/stream=transactional/),
        page
          .getByRole('navigation', { name: 'Stream' })
          .getByRole('link', { name: /^Transactional NPS/ })
          .click(),
      ]);
      expect(new URL(page.url()).search).toBe(`?stream=transactional&${RANGE}`);
      const trend = (await api(`/api/reports/trend?${RANGE}`)).streams.transactional;
      expect(await tableRows(page, 'Transactional NPS by quarter')).toEqual(
        trend.map((p: Json) => [p.period, ...summaryCells(p.summary), shown(p.change?.change), p.change ? flag(p.change.significant, 'significant') : '—']),
      );
      expect(trend.map((p: Json) => [p.period, p.summary.nps])).toEqual([
        ['2026-Q1', 100],
        ['2026-Q2', -50],
      ]);
      const segments = (await api(`/api/reports/segments?${RANGE}`)).streams.transactional;
      expect(await tableRows(page, 'Transactional NPS by role')).toEqual(
        (['decision_maker', 'admin', 'end_user'] as const)
          .filter((role) => segments.role[role])
          .map((role) => [{ end_user: 'End user', admin: 'Admin', decision_maker: 'Decision maker' }[role], ...summaryCells(segments.role[role])]),
      );
      const rate = (await api(`/api/reports/response-rate?${RANGE}`)).streams.transactional;
      expect(await tableRows(page, 'Transactional response rate')).toEqual([[String(rate.sent), String(rate.responses), percent(rate.rate)]]);
      // Nothing of the relational stream: no relational table, no account reports, no relational alert.
      expect(await page.getByRole('table', { name: /^Relational/ }).count()).toBe(0);
      expect(await page.locator('#accounts').innerText()).toContain('only the relational stream has them');
      expect(await page.getByRole('table', { name: 'Relational role gaps per account' }).count()).toBe(0);
      const alerts = await page.locator('#alerts').innerText();
      expect(alerts).toContain('Transactional NPS fell 150 points from 2026-Q1 to 2026-Q2');
      expect(alerts).not.toContain('Northwind Traders');
      expect(await page.getByLabel('Trigger', { exact: true }).locator('option').allTextContents()).toEqual(['Any', 'Ticket solved', 'Onboarding']);
      await context.close();
    },
    60_000,
  );

  maybe(
    'keeps the filters in the URL: the form round-trips them, a shared link shows the same, a bad value shows the API’s message',
    async () => {
      const { context, page } = await signedIn(false);
      await page.goto(`${service.url}/console`);
      await page.getByLabel('From', { exact: true }).fill('2026-02-01');
      await page.getByLabel('To', { exact: true }).fill('2026-06-15');
      await page.getByLabel('Tier', { exact: true }).fill('enterprise');
      await page.getByLabel('Trend by', { exact: true }).selectOption('month');
      await Promise.all([page.waitForURL(/granularity=month/), page.getByRole('button', { name: 'Apply filters' }).click()]);
      // Empty fields are left out of the address: it holds exactly the filters set.
      const search = '?from=2026-02-01&to=2026-06-15&tier=enterprise&granularity=month';
      expect(new URL(page.url()).search).toBe(search);
      expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('2026-02-01');
      expect(await page.getByLabel('Tier', { exact: true }).inputValue()).toBe('enterprise');
      expect(await page.getByLabel('Trend by', { exact: true }).inputValue()).toBe('month');
      const trend = (await api(`/api/reports/trend?from=2026-02-01&to=2026-06-15&tier=enterprise&granularity=month`)).streams.relational;
      const rows = await tableRows(page, 'Relational NPS by month');
      expect(rows.map((r) => r.slice(0, 6))).toEqual(trend.map((p: Json) => [p.period, ...summaryCells(p.summary).slice(0, 5)]));
      expect(rows.map((r) => r[0])).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
      expect(await page.locator('.filter-summary').textContent()).toContain('settled from 2026-02-01 to 2026-06-15, tier enterprise');

      // The same address in a new session shows the same numbers.
      const shared = await signedIn(false);
      await shared.page.goto(`${service.url}/console${search}`);
      expect(await tableRows(shared.page, 'Relational NPS by month')).toEqual(rows);
      await shared.context.close();

      // A bad value: 400, the form with the API's words beside the field, no numbers.
      const apiAnswer = await request(service.url).get('/api/reports/segments?arrBand=huge').set(auth);
      expect(apiAnswer.status).toBe(400);
      const response = await page.goto(`${service.url}/console?arrBand=huge&from=2026-02-30`);
      expect(response?.status()).toBe(400);
      const summary = await page.getByRole('alert').innerText();
      expect(summary).toContain(apiAnswer.body.message[0]);
      expect(summary).toContain('from must be a date (YYYY-MM-DD)');
      expect(await page.locator('#field-arrBand-error').textContent()).toBe(apiAnswer.body.message[0]);
      expect(await page.getByRole('table').count()).toBe(0);
      const wrongStream = await page.goto(`${service.url}/console?trigger=ticket_solved`);
      expect(wrongStream?.status()).toBe(400);
      expect(await page.locator('#field-trigger-error').textContent()).toContain('trigger: ticket_solved is a transactional trigger');
      expect((await page.goto(`${service.url}/console?from=2026-05-02&to=2026-05-01`))?.status()).toBe(400);
      expect(await page.getByRole('alert').innerText()).toContain('to: must not be before from');
      await context.close();
    },
    60_000,
  );

  maybe(
    'downloads the CSV beside a table: exactly that table’s rows, with the exact values of /api/reports',
    async () => {
      const { context, page } = await signedIn(false);
      await page.goto(`${service.url}/console?stream=transactional&${RANGE}&granularity=month`);
      const link = page.getByRole('link', { name: 'Download CSV of Transactional NPS by month' });
      expect(await link.getAttribute('href')).toBe(`/console/reports/trend/periods.csv?stream=transactional&${RANGE}&granularity=month`);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe('transactional-trend-periods.csv');
      const [header, ...rows] = parse(readFileSync((await download.path())!, 'utf8')) as string[][];
      expect(header).toEqual(['period', 'responses', 'promoters', 'passives', 'detractors', 'nps', 'interval_low', 'interval_high', 'low_sample', 'change', 'change_significant']);
      const shownRows = await tableRows(page, 'Transactional NPS by month');
      expect(rows.map((r) => [r[0], r[1], shown(r[5] === '' ? null : Number(r[5]))])).toEqual(shownRows.map((r) => [r[0], r[1], r[5]]));
      const api = (await request(service.url).get(`/api/reports/trend?${RANGE}&granularity=month`).set(auth)).body.streams.transactional;
      expect(rows.map((r) => [r[0], r[5], r[6]])).toEqual(
        api.map((p: Json) => [p.period, p.summary.nps === null ? '' : String(p.summary.nps), p.summary.interval ? String(p.summary.interval.low) : '']),
      );

      // The account tables download for a viewer too, with the same filters (role gap: the page of accounts shown).
      const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
      const roleGap = await viewer.get(`/console/reports/role-gap/accounts.csv?stream=relational&${RANGE}`);
      expect([roleGap.status, roleGap.headers['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
      const apiCsv = await request(service.url).get(`/api/reports/role-gap/accounts.csv?${RANGE}`).set(auth);
      expect(roleGap.text).toBe(apiCsv.text);
      const gaps = (await request(service.url).get(`/api/reports/role-gap?${RANGE}`).set(auth)).body.accounts;
      const names: Record<string, string> = { [data.accounts.a1]: 'Northwind Traders', [data.accounts.a2]: 'Contoso' };
      expect((parse(roleGap.text) as string[][]).slice(1).map((r) => [r[0], r[1], r[6]])).toEqual(gaps.map((a: Json) => [a.accountId, names[a.accountId], String(a.gap)]));
      const refused = await viewer.get('/console/reports/segments/tier.csv?stream=relational&arrBand=huge');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('arrBand must be one of');
      expect((await viewer.get('/console/reports/trend/weekly.csv?stream=relational')).status).toBe(400);
      expect((await viewer.get('/console/reports/nothing/table.csv?stream=relational')).status).toBe(404);
      expect((await request(service.url).get('/console/reports/trend/periods.csv?stream=relational')).status).toBe(302);
      await context.close();
    },
    60_000,
  );

  it('draws its charts as SVG with a text alternative, with no inline style or script anywhere on the page', async () => {
    const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    for (const path of [`/console?${RANGE}`, `/console?stream=transactional&${RANGE}&granularity=month`]) {
      const page = await viewer.get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("style-src 'self'");
      expect([path, page.text.match(/\sstyle=/g)]).toEqual([path, null]);
      expect([path, page.text.match(/<style|<script/gi)]).toEqual([path, null]);
      const svgs = page.text.match(/<svg\b[^>]*>/g) ?? [];
      expect(svgs.length).toBeGreaterThanOrEqual(7);
      for (const svg of svgs) {
        expect(svg).toMatch(/ role="img"/);
        expect(svg).toMatch(/ aria-label="[^"]{20,}"/);
      }
      expect((page.text.match(/<svg\b[^>]*>\s*<title>[^<]{20,}<\/title>/g) ?? []).length).toBe(svgs.length);
      // Ids are unique on the page (each chart names its own clip paths).
      const ids = [...page.text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.length).toBe(new Set(ids).size);
    }
    const page = await viewer.get(`/console?${RANGE}`);
    const trend = /<svg[^>]*aria-label="(Relational NPS by quarter[^"]*)"/.exec(page.text)![1];
    expect(trend).toContain('2026-Q1 to 2026-Q2');
    expect(trend).toContain('Latest: 2026-Q2 +20 (n 5, low sample, 95 % interval');
    expect(trend).toContain('2 of 2 periods with responses have a low sample');
  });

  maybe(
    'passes axe (no serious or critical violation) at 390 px and 1280 px for both streams, fits the phone; screenshots saved',
    async () => {
      for (const viewport of AXE_VIEWPORTS) {
        const { context, page } = await signedIn(true, viewport, ADMIN);
        for (const stream of ['relational', 'transactional']) {
          await page.goto(`${service.url}/console?stream=${stream}&${RANGE}`);
          expect([stream, viewport.width, await seriousAxeViolations(page)]).toEqual([stream, viewport.width, []]);
          expect([stream, viewport.width, await sidewaysOverflow(page)]).toEqual([stream, viewport.width, 0]);
          expect(await page.locator('[style], style, script').count()).toBe(0);
          expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(7);
          await page.screenshot({ path: artifactPath(`dashboard-${stream}${viewport.width === 390 ? '-390' : ''}`), fullPage: true });
        }
        // A refused filter passes too.
        await page.goto(`${service.url}/console?arrBand=huge`);
        expect([viewport.width, await seriousAxeViolations(page)]).toEqual([viewport.width, []]);
        await context.close();
      }
    },
    120_000,
  );
});
