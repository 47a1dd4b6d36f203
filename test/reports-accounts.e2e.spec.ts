import request from 'supertest';
import { ReportDataset, NOW, startReportService, wald } from './support/report-dataset';
import { TestService } from './support/service';

const counts = (s: any) => [s.stream, s.n, s.promoters, s.passives, s.detractors];

describe('account reports: role gap, account NPS, ARR weighting, coverage, NPS × ARR (rules §7, §9)', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  const get = (path: string) => request(service.url).get(path).set(auth);

  beforeAll(async () => {
    ({ service, auth, data } = await startReportService());
  });
  afterAll(() => service.close());

  it('lists the accounts with both roles heard, their gap from each person’s latest answer, flagged above 15', async () => {
    const res = await get('/api/reports/role-gap');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stream: 'relational', asOf: NOW, flagAbovePoints: 15, flagged: 1 });
    const byAccount = Object.fromEntries(res.body.accounts.map((a: any) => [a.accountId, a]));
    expect(Object.keys(byAccount).sort()).toEqual([data.accounts.a1, data.accounts.a2].sort()); // A3 has no decision maker or end user
    const a1 = byAccount[data.accounts.a1];
    expect(counts(a1.decisionMakers)).toEqual(['relational', 1, 1, 0, 0]); // dm1's latest (9), not the earlier 10 nor the unsettled 0
    expect(counts(a1.endUsers)).toEqual(['relational', 2, 0, 0, 2]);
    expect([a1.gap, a1.displayGap, a1.flagged]).toEqual([200, 200, true]);
    const a2 = byAccount[data.accounts.a2];
    expect([a2.gap, a2.displayGap, a2.flagged]).toEqual([0, 0, false]);
  });

  it('lists one page of accounts at a time, by account id, with the summary over every account (taken now or filtered alike)', async () => {
    const both = [data.accounts.a1, data.accounts.a2].sort();
    const heard = [data.accounts.a1, data.accounts.a2, data.accounts.a3].sort();
    // No filter: read from each person's latest answer as the triggers keep it; a filter: from the responses. Same answers.
    for (const filter of ['', '&from=2025-01-01']) {
      const first = await get(`/api/reports/role-gap?limit=1${filter}`);
      const second = await get(`/api/reports/role-gap?limit=1&offset=1${filter}`);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect([first.body.total, first.body.flagged, first.body.limit, first.body.offset]).toEqual([2, 1, 1, 0]);
      expect([...first.body.accounts, ...second.body.accounts].map((a: any) => a.accountId)).toEqual(both);
      const page = await get(`/api/reports/account-distribution?limit=2&offset=1${filter}`);
      expect([page.body.total, page.body.accounts.map((a: any) => a.accountId)]).toEqual([3, heard.slice(1)]);
      expect(counts(page.body.accountNps)).toEqual(['relational', 3, 2, 1, 0]);
      const coverage = await get(`/api/reports/revenue-coverage?limit=1&offset=1${filter}`);
      expect([coverage.body.coveredAccounts, coverage.body.coveredAccountIds, coverage.body.uncoveredAccountIds]).toEqual([
        2,
        both.slice(1),
        [data.accounts.a3, data.accounts.a4].sort().slice(1),
      ]);
    }
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=ten', 'limit'],
    ]) {
      const bad = await get(`/api/reports/role-gap?${query}`);
      expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining(field)]);
    }
  });

  it('classes each account once by its sentiment and shows the NPS over accounts beside the respondent NPS', async () => {
    const res = await get('/api/reports/account-distribution');
    expect(res.status).toBe(200);
    expect(counts(res.body.accountNps)).toEqual(['relational', 3, 2, 1, 0]);
    const w = wald(2, 0, 3);
    expect(res.body.accountNps.nps).toBeCloseTo(200 / 3, 10);
    expect(res.body.accountNps.interval.low).toBeCloseTo(w.low, 10);
    expect(res.body.accountNps.interval.high).toBeCloseTo(w.high, 10);
    expect(res.body.accountNps.interval.low).toBeCloseTo(-21.652860219971316, 10);
    expect(res.body.accountNps.lowSample).toBe(true);
    expect(counts(res.body.respondentNps)).toEqual(['relational', 6, 3, 1, 2]);
    expect(res.body.respondentNps.interval.high).toBeCloseTo(66.157169890152, 10);
    const byAccount = Object.fromEntries(res.body.accounts.map((a: any) => [a.accountId, a]));
    expect(byAccount[data.accounts.a1].sentiment).toEqual({ category: 'promoter', meanScore: 9, basis: 'decision_makers', respondents: 1 });
    expect(counts(byAccount[data.accounts.a1].accountNps)).toEqual(['relational', 3, 1, 0, 2]);
    expect(byAccount[data.accounts.a3].sentiment).toEqual({ category: 'passive', meanScore: 7, basis: 'all_respondents', respondents: 1 });
    // taken at the end of `to`: only what was answered by then, each person's latest by then
    const early = await get('/api/reports/account-distribution?to=2026-02-28');
    expect(early.body.asOf).toBe('2026-02-28T23:59:59.999Z');
    expect(counts(early.body.accountNps)).toEqual(['relational', 2, 2, 0, 0]);
    expect(counts(early.body.respondentNps)).toEqual(['relational', 3, 2, 0, 1]);
  });

  it('weights each respondent by account ARR / the account’s responses and shows the Kish n', async () => {
    const res = await get('/api/reports/arr-weighted');
    expect(res.status).toBe(200);
    const rel = res.body.streams.relational.weighted;
    // A1 200,000 over 5 responses (2 P, 3 D), A2 20,000 over 3 (3 P), A3 60,000 over 1 (passive)
    const kish = 280_000 ** 2 / (200_000 ** 2 / 5 + 20_000 ** 2 / 3 + 60_000 ** 2);
    expect(rel.kishN).toBeCloseTo(kish, 10);
    expect(rel.kishN).toBeCloseTo(6.6818181818181825, 10);
    expect(rel.totalWeight).toBe(280_000);
    expect(rel.promoterShare).toBeCloseTo(100_000 / 280_000, 12);
    expect(rel.detractorShare).toBeCloseTo(120_000 / 280_000, 12);
    expect(rel.nps).toBeCloseTo(-7.142857142857143, 10);
    const w = wald((100_000 / 280_000) * kish, (120_000 / 280_000) * kish, kish);
    expect(rel.interval.low).toBeCloseTo(w.low, 10);
    expect(rel.interval.high).toBeCloseTo(w.high, 10);
    expect(rel.interval.low).toBeCloseTo(-57.43363090760515, 9);
    expect([rel.respondents, rel.weightedRespondents, rel.lowSample]).toEqual([9, 9, true]);
    expect(counts(res.body.streams.relational.respondents)).toEqual(['relational', 9, 5, 1, 3]);
    const tx = res.body.streams.transactional.weighted;
    expect(tx.kishN).toBeCloseTo(280_000 ** 2 / (200_000 ** 2 + 20_000 ** 2 + 60_000 ** 2), 10);
    expect(tx.nps).toBeCloseTo(64.28571428571429, 10);
  });

  it('gives the share of active ARR with a decision maker heard in the trailing 90 days', async () => {
    const res = await get('/api/reports/revenue-coverage');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      stream: 'relational',
      asOf: NOW,
      windowDays: 90,
      targetPercent: 80,
      activeArr: '380000.00',
      coveredArr: '220000.00',
      share: expect.closeTo(220_000 / 380_000, 9),
      belowTarget: true,
      activeAccounts: 4,
      coveredAccounts: 2,
      limit: 100,
      offset: 0,
      coveredAccountIds: [data.accounts.a1, data.accounts.a2].sort(),
      uncoveredAccountIds: [data.accounts.a3, data.accounts.a4].sort(),
    });
    // at the end of May only A1's decision maker (April 10) is inside the window; A2's was February 20
    const may = await get('/api/reports/revenue-coverage?to=2026-05-31');
    expect([may.body.coveredArr, may.body.share]).toEqual(['200000.00', expect.closeTo(200_000 / 380_000, 9)]);
  });

  it('gives NPS per ARR band × category and per quadrant with its ARR, per stream', async () => {
    const res = await get('/api/reports/nps-by-arr');
    expect(res.status).toBe(200);
    const rel = res.body.streams.relational;
    expect(rel.byBand.map((b: any) => [b.arrBand, ...counts(b.summary).slice(1)])).toEqual([
      ['under_10k', 0, 0, 0, 0],
      ['10k_50k', 3, 3, 0, 0],
      ['50k_100k', 1, 0, 1, 0],
      ['100k_500k', 5, 2, 0, 3],
      ['500k_plus', 0, 0, 0, 0],
    ]);
    const quadrants = Object.fromEntries(rel.byQuadrant.map((q: any) => [q.quadrant, [q.accounts, q.arr, q.summary.n, q.summary.nps]]));
    expect(quadrants).toEqual({
      champion: [1, '200000.00', 5, -20],
      adoption_risk: [0, '0.00', 0, null],
      passive_engaged: [0, '0.00', 0, null],
      passive_drifting: [0, '0.00', 0, null],
      friction: [1, '20000.00', 3, 100],
      churn_risk: [0, '0.00', 0, null],
      unknown: [2, '160000.00', 1, 0],
    });
    const tx = res.body.streams.transactional;
    expect(tx.byBand.map((b: any) => b.summary.n)).toEqual([0, 1, 1, 1, 0]);
    expect(tx.byBand.every((b: any) => b.summary.stream === 'transactional')).toBe(true);
  });
});
