import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ReportDataset, startReportService } from './support/report-dataset';
import { TestService } from './support/service';

type Json = any;
type Rows = Array<Array<unknown>>;

/** A CSV cell as the export writes a value: empty for nothing, numbers and flags as text. */
const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const SUMMARY = ['responses', 'promoters', 'passives', 'detractors', 'nps', 'interval_low', 'interval_high', 'low_sample'];
const summary = (s: Json) => [s.n, s.promoters, s.passives, s.detractors, s.nps, s.interval?.low, s.interval?.high, s.lowSample];
const LOOP = ['closed', 'sla_met', 'overdue', 'open', 'rate', 'below_alert_threshold'];
const loop = (l: Json) => [l.closed, l.slaMet, l.overdue, l.open, l.rate, l.belowAlertThreshold];

interface Case {
  csv: string;
  json: string;
  columns: string[];
  rows: (answer: Json, names: Map<string, string>) => Rows;
  /** The CSV lists the values in the rules' order, the JSON object by key: compared as sets. */
  unordered?: boolean;
}

/** Each table, the JSON route it comes from, and its rows written out from that JSON here (not by the code under test). */
function cases(stream: 'relational' | 'transactional', filters: string): Case[] {
  const q = `stream=${stream}${filters ? `&${filters}` : ''}`;
  const s = (answer: Json) => answer.streams[stream];
  const segment = (name: string, key: string): Case => ({
    csv: `/api/reports/segments/${name}.csv?${q}`,
    json: `/api/reports/segments?${filters}`,
    columns: ['value', ...SUMMARY],
    rows: (a) => Object.entries(s(a)[key]).map(([value, summ]) => [value, ...summary(summ)]),
    unordered: true,
  });
  const list: Case[] = [
    {
      csv: `/api/reports/trend/periods.csv?${q}&granularity=month`,
      json: `/api/reports/trend?${filters}&granularity=month`,
      columns: ['period', ...SUMMARY, 'change', 'change_significant'],
      rows: (a) => s(a).map((p: Json) => [p.period, ...summary(p.summary), p.change?.change, p.change?.significant]),
    },
    segment('tier', 'tier'),
    segment('arr-band', 'arrBand'),
    segment('tenure-band', 'tenureBand'),
    segment('role', 'role'),
    segment('quadrant', 'quadrant'),
    {
      csv: `/api/reports/nps-by-arr/arr-bands.csv?${q}`,
      json: `/api/reports/nps-by-arr?${filters}`,
      columns: ['arr_band', ...SUMMARY],
      rows: (a) => s(a).byBand.map((b: Json) => [b.arrBand, ...summary(b.summary)]),
    },
    {
      csv: `/api/reports/nps-by-arr/quadrants.csv?${q}`,
      json: `/api/reports/nps-by-arr?${filters}`,
      columns: ['quadrant', 'accounts', 'arr', ...SUMMARY],
      rows: (a) => s(a).byQuadrant.map((b: Json) => [b.quadrant, b.accounts, b.arr, ...summary(b.summary)]),
    },
    {
      csv: `/api/reports/arr-weighted/summary.csv?${q}`,
      json: `/api/reports/arr-weighted?${filters}`,
      columns: ['measure', 'n', 'nps', 'interval_low', 'interval_high', 'low_sample', 'respondents', 'total_arr'],
      rows: (a) => {
        const { weighted: w, respondents: r } = s(a);
        return [
          ['arr_weighted', w.kishN, w.nps, w.interval?.low, w.interval?.high, w.lowSample, w.respondents, w.totalWeight],
          ['respondents', r.n, r.nps, r.interval?.low, r.interval?.high, r.lowSample, r.n, null],
        ];
      },
    },
    {
      csv: `/api/reports/themes/themes.csv?${q}`,
      json: `/api/reports/themes?${filters}`,
      columns: ['quarter', 'theme', ...SUMMARY, 'emerging'],
      rows: (a) => s(a).flatMap((quarter: Json) => quarter.themes.map((t: Json) => [quarter.quarter, t.theme, ...summary(t.summary), t.emerging])),
    },
  ];
  const dates = filters
    .split('&')
    .filter((p) => /^(from|to)=/.test(p))
    .join('&');
  list.push(
    {
      csv: `/api/reports/response-rate/rate.csv?stream=${stream}&${dates}`,
      json: `/api/reports/response-rate?${dates}`,
      columns: ['sent', 'responses', 'rate'],
      rows: (a) => [[s(a).sent, s(a).responses, s(a).rate]],
    },
    {
      csv: `/api/reports/response-rate/skips.csv?stream=${stream}&${dates}`,
      json: `/api/reports/response-rate?${dates}`,
      columns: ['reason', 'surveys'],
      rows: (a) => Object.entries(s(a).skipsByReason),
    },
    {
      csv: `/api/reports/loop-closure/categories.csv?stream=${stream}&${dates}`,
      json: `/api/loop-closure?${dates}`,
      columns: ['category', ...LOOP],
      rows: (a) => [['all', ...loop(s(a).overall)], ...['detractor', 'passive', 'promoter'].map((c) => [c, ...loop(s(a).byCategory[c])])],
    },
    {
      csv: `/api/reports/loop-closure/segments.csv?stream=${stream}&${dates}`,
      json: `/api/loop-closure?${dates}`,
      columns: ['segment', 'value', ...LOOP],
      rows: (a) => ['tier', 'arrBand', 'tenureBand', 'role'].flatMap((seg) => Object.entries(s(a).bySegment[seg]).map(([value, l]) => [seg, value, ...loop(l)])),
    },
  );
  if (stream === 'relational') {
    list.push(
      {
        csv: `/api/reports/role-gap/accounts.csv?${filters}`,
        json: `/api/reports/role-gap?${filters}`,
        columns: ['account_id', 'account_name', 'decision_makers', 'decision_maker_nps', 'end_users', 'end_user_nps', 'gap', 'display_gap', 'flagged'],
        rows: (a, names) =>
          a.accounts.map((r: Json) => [
            r.accountId,
            names.get(r.accountId),
            r.decisionMakers.n,
            r.decisionMakers.nps,
            r.endUsers.n,
            r.endUsers.nps,
            r.gap,
            r.displayGap,
            r.flagged,
          ]),
      },
      {
        csv: `/api/reports/account-distribution/summary.csv?${filters}`,
        json: `/api/reports/account-distribution?${filters}`,
        columns: ['basis', ...SUMMARY],
        rows: (a) => [
          ['accounts', ...summary(a.accountNps)],
          ['respondents', ...summary(a.respondentNps)],
        ],
      },
      {
        csv: `/api/reports/account-distribution/accounts.csv?${filters}`,
        json: `/api/reports/account-distribution?${filters}`,
        columns: ['account_id', 'account_name', 'category', 'mean_score', 'basis', 'respondents', 'account_nps'],
        rows: (a, names) =>
          a.accounts.map((r: Json) => [
            r.accountId,
            names.get(r.accountId),
            r.sentiment.category,
            r.sentiment.meanScore,
            r.sentiment.basis,
            r.sentiment.respondents,
            r.accountNps.nps,
          ]),
      },
      {
        csv: `/api/reports/revenue-coverage/summary.csv?${filters}`,
        json: `/api/reports/revenue-coverage?${filters}`,
        columns: ['as_of', 'window_days', 'active_arr', 'covered_arr', 'share', 'target_percent', 'below_target', 'active_accounts', 'covered_accounts'],
        rows: (a) => [[a.asOf, a.windowDays, a.activeArr, a.coveredArr, a.share, a.targetPercent, a.belowTarget, a.activeAccounts, a.coveredAccounts]],
      },
      {
        csv: `/api/reports/revenue-coverage/accounts.csv?${filters}`,
        json: `/api/reports/revenue-coverage?${filters}`,
        columns: ['account_id', 'account_name', 'covered'],
        rows: (a, names) => [...a.coveredAccountIds.map((id: string) => [id, names.get(id), true]), ...a.uncoveredAccountIds.map((id: string) => [id, names.get(id), false])],
      },
    );
  }
  return list;
}

/** Report tables as CSV (issue 15 part 3): the same numbers as the JSON reports, one stream per file. */
describe('report tables as CSV', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  let names: Map<string, string>;
  const get = (path: string) => request(service.url).get(path).set(auth);

  beforeAll(async () => {
    ({ service, auth, data } = await startReportService());
    const db = service.app.get(DataSource);
    // Account names as a CRM may have typed them: one that a spreadsheet would run as a formula.
    await db.query(`UPDATE accounts SET name = $2 WHERE id = $1`, [data.accounts.a1, 'Northwind, "Enterprise"']);
    await db.query(`UPDATE accounts SET name = $2 WHERE id = $1`, [data.accounts.a2, '=HYPERLINK("http://evil.example")']);
    names = new Map((await db.query(`SELECT id, name FROM accounts`)).map((r: { id: string; name: string }) => [r.id, r.name]));
  });
  afterAll(() => service.close());

  for (const filters of ['', 'from=2026-02-01&to=2026-06-15', 'from=2026-01-01&to=2026-06-15&tier=enterprise']) {
    it(`every table of every report, per stream, has the JSON report's columns and values${filters ? ` (${filters})` : ''}`, async () => {
      for (const stream of ['relational', 'transactional'] as const) {
        for (const c of cases(stream, filters)) {
          const [csv, json] = await Promise.all([get(c.csv).buffer(true), get(c.json)]);
          expect([c.csv, csv.status, json.status]).toEqual([c.csv, 200, 200]);
          expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
          const table = c.csv.replace(/^\/api\/reports\/([^/]+)\/([^.]+)\.csv.*$/, '$1-$2');
          expect(csv.headers['content-disposition']).toBe(`attachment; filename="${stream}-${table}.csv"`);
          const [header, ...rows] = parse(csv.text) as string[][];
          expect([c.csv, header]).toEqual([c.csv, c.columns]);
          const expected = c.rows(json.body, names).map((row) => row.map((v) => (typeof v === 'string' && v.startsWith('=') ? `'${v}` : cell(v))));
          const order = (list: string[][]) => (c.unordered ? [...list].sort((x, y) => (x[0] < y[0] ? -1 : 1)) : list);
          expect([c.csv, order(rows)]).toEqual([c.csv, order(expected)]);
        }
      }
    }, 60_000);
  }

  it('writes exact values (pinned by hand for the known dataset) and never mixes the streams', async () => {
    const relational = parse((await get('/api/reports/trend/periods.csv?stream=relational&granularity=quarter')).text) as string[][];
    expect(relational[0]).toEqual(['period', ...SUMMARY, 'change', 'change_significant']);
    expect(relational.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['2026-Q1', '4', '2', '1', '1', '25'],
      ['2026-Q2', '5', '3', '0', '2', '20'],
    ]);
    expect(Number(relational[1][6])).toBeCloseTo(-44.160842499095544, 10);
    expect(Number(relational[1][7])).toBeCloseTo(72.73227107052412, 10);
    expect(relational[1].slice(8)).toEqual(['true', '', '']);
    expect(relational[2].slice(8)).toEqual(['true', '-5', 'false']);
    const transactional = parse((await get('/api/reports/trend/periods.csv?stream=transactional')).text) as string[][];
    expect(transactional.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['2026-Q1', '1', '1', '0', '0', '100'],
      ['2026-Q2', '2', '0', '1', '1', '-50'],
    ]);
    // The same rows as JSON, values unformatted, when asked for.
    const asJson = await get('/api/reports/trend/periods.csv?stream=relational').set('Accept', 'application/json');
    expect([asJson.status, asJson.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    expect(asJson.body[0]).toMatchObject({
      period: '2026-Q1',
      responses: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
      nps: 25,
      low_sample: true,
      change: null,
      change_significant: null,
    });
    expect(asJson.body[1]).toMatchObject({ period: '2026-Q2', nps: 20, change: -5, change_significant: false });
    const bands = parse((await get('/api/reports/segments/arr-band.csv?stream=relational')).text) as string[][];
    expect(bands.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['10k_50k', '3'],
      ['50k_100k', '1'],
      ['100k_500k', '5'],
    ]);
    const skips = parse((await get('/api/reports/response-rate/skips.csv?stream=relational')).text) as string[][];
    expect(skips.slice(1).sort()).toEqual([
      ['opted_out', '1'],
      ['suppressed', '2'],
    ]);
    const roleGap = parse((await get('/api/reports/role-gap/accounts.csv')).text) as string[][];
    const byId = new Map(roleGap.slice(1).map((r) => [r[0], r]));
    // A text cell a spreadsheet would run as a formula starts with an apostrophe; commas and quotes survive quoting.
    expect(byId.get(data.accounts.a2)![1]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(byId.get(data.accounts.a1)![1]).toBe('Northwind, "Enterprise"');
  });

  it('refuses a bad stream, filter or table with the field named, and asks for the admin key', async () => {
    const refused: Array<[string, number, string]> = [
      ['/api/reports/trend/periods.csv', 400, 'stream must be one of: relational, transactional'],
      ['/api/reports/segments/tier.csv?stream=both', 400, 'stream must be one of: relational, transactional'],
      ['/api/reports/role-gap/accounts.csv?stream=transactional', 400, 'stream must be relational: this report is about accounts, which only the relational stream has'],
      ['/api/reports/segments/tier.csv?stream=relational&arrBand=huge', 400, 'arrBand must be one of'],
      ['/api/reports/response-rate/rate.csv?stream=relational&role=admin', 400, 'property role should not exist'],
      ['/api/reports/themes/themes.csv?stream=relational&from=2026-05-02&to=2026-05-01', 400, 'to: must not be before from'],
      ['/api/reports/loop-closure/categories.csv?stream=relational&from=2026-02-30', 400, 'from must be a date (YYYY-MM-DD)'],
      ['/api/reports/trend/weekly.csv?stream=relational', 400, 'table: the trend report has no table "weekly" (its tables: periods)'],
    ];
    for (const [path, status, message] of refused) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, status]);
      expect([path, res.body.message.some((m: string) => m.startsWith(message))]).toEqual([path, true]);
    }
    expect((await request(service.url).get('/api/reports/trend/periods.csv?stream=relational')).status).toBe(401);
  });

  it('documents every CSV route in /docs with its tables and their columns', async () => {
    const docs = (await request(service.url).get('/docs-json')).body;
    const route = docs.paths['/api/reports/role-gap/{table}.csv'].get;
    expect(route.parameters.find((p: Json) => p.name === 'table').schema.enum).toEqual(['accounts']);
    expect(route.description).toContain('`display_gap` the gap rounded once, half away from zero');
    expect(Object.keys(route.responses['200'].content)).toEqual(['text/csv', 'application/json']);
    for (const report of ['trend', 'segments', 'nps-by-arr', 'arr-weighted', 'account-distribution', 'revenue-coverage', 'role-gap', 'themes', 'response-rate', 'loop-closure']) {
      expect([report, Boolean(docs.paths[`/api/reports/${report}/{table}.csv`]?.get)]).toEqual([report, true]);
    }
  });
});
