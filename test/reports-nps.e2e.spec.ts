import request from 'supertest';
import { npsTrend, summariseNps } from '@libs/nps/src';
import { ReportDataset, startReportService, wald } from './support/report-dataset';
import { TestService } from './support/service';

/** A summary's numbers against its counts: exact NPS, the rules §1 interval, the low-sample mark. */
function expectSummary(summary: any, stream: string, P: number, Pa: number, D: number): void {
  const n = P + Pa + D;
  expect({ stream: summary.stream, n: summary.n, promoters: summary.promoters, passives: summary.passives, detractors: summary.detractors }).toEqual({
    stream,
    n,
    promoters: P,
    passives: Pa,
    detractors: D,
  });
  expect(summary.lowSample).toBe(n < 30);
  if (n === 0) {
    expect([summary.nps, summary.interval]).toEqual([null, null]);
    return;
  }
  expect(summary.nps).toBeCloseTo((100 * (P - D)) / n, 10);
  const w = wald(P, D, n);
  expect(summary.adjustedNps).toBeCloseTo(w.adjusted, 10);
  expect(summary.standardError).toBeCloseTo(w.se, 10);
  expect(summary.interval.low).toBeCloseTo(w.low, 10);
  expect(summary.interval.high).toBeCloseTo(w.high, 10);
}

describe('reports over time and segments (rules §1, §2, §9)', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  const get = (path: string) => request(service.url).get(path).set(auth);

  beforeAll(async () => {
    ({ service, auth, data } = await startReportService());
  });
  afterAll(() => service.close());

  it('gives NPS per quarter and stream with the adjusted-Wald interval and the significance of the change', async () => {
    const res = await get('/api/reports/trend?granularity=quarter');
    expect(res.status).toBe(200);
    const rel = res.body.streams.relational;
    expect(rel.map((p: any) => p.period)).toEqual(['2026-Q1', '2026-Q2']);
    expectSummary(rel[0].summary, 'relational', 2, 1, 1);
    expectSummary(rel[1].summary, 'relational', 3, 0, 2);
    // pinned once by hand: Q1 relational 2 P, 1 passive, 1 D
    expect(rel[0].summary.nps).toBe(25);
    expect(rel[0].summary.interval.low).toBeCloseTo(-44.160842499095544, 10);
    expect(rel[0].summary.interval.high).toBeCloseTo(72.73227107052412, 10);
    expect(rel[0].change).toBeNull();
    expect(rel[1].change.change).toBeCloseTo(-5, 10);
    expect(rel[1].change.adjustedChange).toBeCloseTo(12.5 - 14.285714285714285, 10);
    expect(rel[1].change.threshold).toBeCloseTo(85.10342971937148, 10);
    expect(rel[1].change.significant).toBe(false);
    const tx = res.body.streams.transactional;
    expect(tx.map((p: any) => p.period)).toEqual(['2026-Q1', '2026-Q2']);
    expectSummary(tx[0].summary, 'transactional', 1, 0, 0);
    expectSummary(tx[1].summary, 'transactional', 0, 1, 1);
  });

  it('gives NPS per month, a month without responses shown with n = 0 inside the asked range', async () => {
    const res = await get('/api/reports/trend?granularity=month&from=2025-12-01&to=2026-06-30');
    expect(res.status).toBe(200);
    const rel = res.body.streams.relational;
    expect(rel.map((p: any) => [p.period, p.summary.n, p.summary.nps])).toEqual([
      ['2025-12', 0, null],
      ['2026-01', 1, 100],
      ['2026-02', 2, 0],
      ['2026-03', 1, 0],
      ['2026-04', 1, 100],
      ['2026-05', 3, expect.closeTo(-100 / 3, 10)],
      ['2026-06', 1, 100],
    ]);
    expect(rel[1].change).toBeNull(); // the month before has n = 0
    expect(res.body.streams.transactional.map((p: any) => p.summary.n)).toEqual([0, 1, 0, 0, 0, 1, 1]);
  });

  it('equals a straight computation over the rows, per stream (libs/nps over every settled response)', async () => {
    for (const granularity of ['month', 'quarter'] as const) {
      const res = await get(`/api/reports/trend?granularity=${granularity}`);
      for (const stream of ['relational', 'transactional'] as const) {
        const rows = data.settled.filter((r) => r.stream === stream).map((r) => ({ stream, score: r.score, respondedAt: r.settledAt }));
        const expected = npsTrend(stream, rows, granularity).map((p) => ({ period: p.period, summary: p.summary, change: p.changeFromPrevious }));
        expect(res.body.streams[stream]).toEqual(JSON.parse(JSON.stringify(expected)));
      }
    }
  });

  it('never mixes the streams: each stream counts only its own responses', async () => {
    const res = await get('/api/reports/segments');
    for (const stream of ['relational', 'transactional'] as const) {
      const own = data.settled.filter((r) => r.stream === stream);
      const total = Object.values(res.body.streams[stream].role as Record<string, any>).reduce((sum, s) => sum + s.n, 0);
      expect(total).toBe(own.length);
      expect(Object.values(res.body.streams[stream].tier as Record<string, any>).every((s) => s.stream === stream)).toBe(true);
      const straight = summariseNps(
        stream,
        own.map((r) => ({ stream, score: r.score })),
      );
      const quarters = (await get('/api/reports/trend')).body.streams[stream] as any[];
      expect(quarters.reduce((sum, p) => sum + p.summary.n, 0)).toBe(straight.n);
    }
  });

  it('gives NPS by tier, ARR band, tenure band, role (from the snapshot) and quadrant, per stream', async () => {
    const res = await get('/api/reports/segments');
    expect(res.status).toBe(200);
    const rel = res.body.streams.relational;
    expect(Object.keys(rel.tier).sort()).toEqual(['enterprise', 'mid', 'smb']);
    expectSummary(rel.tier.enterprise, 'relational', 2, 0, 3);
    expectSummary(rel.tier.smb, 'relational', 3, 0, 0);
    expectSummary(rel.tier.mid, 'relational', 0, 1, 0);
    expectSummary(rel.arrBand['100k_500k'], 'relational', 2, 0, 3);
    expectSummary(rel.arrBand['10k_50k'], 'relational', 3, 0, 0);
    expectSummary(rel.tenureBand['1_2y'], 'relational', 2, 0, 3);
    expectSummary(rel.tenureBand.unknown, 'relational', 0, 1, 0);
    expectSummary(rel.role.decision_maker, 'relational', 4, 0, 0);
    expectSummary(rel.role.end_user, 'relational', 1, 0, 3);
    expectSummary(rel.role.admin, 'relational', 0, 1, 0);
    expectSummary(rel.quadrant.champion, 'relational', 2, 0, 3);
    expectSummary(rel.quadrant.friction, 'relational', 3, 0, 0);
    expectSummary(rel.quadrant.unknown, 'relational', 0, 1, 0);
    const tx = res.body.streams.transactional;
    expectSummary(tx.role.end_user, 'transactional', 1, 0, 1);
    expectSummary(tx.role.admin, 'transactional', 0, 1, 0);
    expect(rel.role.decision_maker.nps).toBe(100);
    expect(rel.role.end_user.nps).toBe(-50);
  });

  it('filters by trigger and by any segment', async () => {
    const byTrigger = await get('/api/reports/segments?trigger=pre_renewal');
    expect(byTrigger.status).toBe(200);
    expect(Object.keys(byTrigger.body.streams.relational.role)).toEqual(['decision_maker']);
    expectSummary(byTrigger.body.streams.relational.role.decision_maker, 'relational', 1, 0, 0);
    expect(byTrigger.body.streams.transactional.role).toEqual({});
    const byRole = await get('/api/reports/trend?role=decision_maker');
    expect(byRole.body.streams.relational.map((p: any) => [p.period, p.summary.n, p.summary.nps])).toEqual([
      ['2026-Q1', 2, 100],
      ['2026-Q2', 2, 100],
    ]);
    const byQuadrant = await get('/api/reports/segments?quadrant=champion&tier=enterprise&arrBand=100k_500k&tenureBand=1_2y');
    expectSummary(byQuadrant.body.streams.relational.role.end_user, 'relational', 0, 0, 3);
    expectSummary(byQuadrant.body.streams.transactional.role.end_user, 'transactional', 1, 0, 0);
    const byDate = await get('/api/reports/segments?from=2026-05-01&to=2026-05-20');
    expectSummary(byDate.body.streams.relational.role.end_user, 'relational', 1, 0, 2); // the 20th counts (to is inclusive)
  });

  it('gives the response rate per stream and the skips by reason beside it', async () => {
    const all = await get('/api/reports/response-rate');
    expect(all.status).toBe(200);
    expect(all.body.streams.relational).toEqual({ sent: 12, responses: 10, rate: 10 / 12, skipsByReason: { opted_out: 1, suppressed: 2 } });
    expect(all.body.streams.transactional).toEqual({ sent: 4, responses: 3, rate: 0.75, skipsByReason: { too_late: 1 } });
    const may = await get('/api/reports/response-rate?from=2026-05-01&to=2026-05-31');
    expect(may.body.streams.relational).toEqual({ sent: 6, responses: 4, rate: 4 / 6, skipsByReason: {} });
    expect(may.body.streams.transactional).toEqual({ sent: 2, responses: 1, rate: 0.5, skipsByReason: { too_late: 1 } });
    const ticket = await get('/api/reports/response-rate?trigger=ticket_solved');
    expect(ticket.body.streams.relational).toEqual({ sent: 0, responses: 0, rate: null, skipsByReason: {} });
  });

  it('gives themes per quarter with counts by category and flags the emerging ones', async () => {
    const put = await request(service.url)
      .put('/api/program')
      .set(auth)
      .send({ rules: { emergingThemeMinDetractorComments: 2 } });
    expect(put.status).toBe(200);
    const res = await get('/api/reports/themes');
    expect(res.status).toBe(200);
    expect(res.body.emergingAtDetractorComments).toBe(2);
    const rel = res.body.streams.relational;
    expect(rel.map((q: any) => [q.quarter, q.themes.map((t: any) => [t.theme, t.summary.n, t.emerging])])).toEqual([
      ['2026-Q1', [['performance', 1, false]]],
      [
        '2026-Q2',
        [
          ['performance', 2, true],
          ['pricing', 2, false], // one detractor and one promoter: only detractor comments make a theme emerging
        ],
      ],
    ]);
    expectSummary(rel[1].themes[1].summary, 'relational', 1, 0, 1);
    const tx = res.body.streams.transactional;
    expect(tx.map((q: any) => [q.quarter, q.themes.map((t: any) => [t.theme, t.summary.detractors, t.emerging])])).toEqual([
      ['2026-Q1', [['support_quality', 0, false]]],
      [
        '2026-Q2',
        [
          ['performance', 1, false],
          ['support_quality', 1, false],
        ],
      ],
    ]);
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    const cases: Array<[string, string]> = [
      ['/api/reports/trend?granularity=week', 'granularity'],
      ['/api/reports/segments?from=2026-02-30', 'from'],
      ['/api/reports/segments?to=yesterday', 'to'],
      ['/api/reports/segments?trigger=weekly', 'trigger'],
      ['/api/reports/segments?role=ceo', 'role'],
      ['/api/reports/segments?arrBand=huge', 'arrBand'],
      ['/api/reports/segments?tenureBand=old', 'tenureBand'],
      ['/api/reports/segments?quadrant=happy', 'quadrant'],
      ['/api/reports/segments?stream=relational', 'stream'],
      ['/api/reports/segments?from=2026-05-02&to=2026-05-01', 'to'],
      ['/api/reports/response-rate?role=admin', 'role'],
    ];
    for (const [path, name] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.message.some((m: string) => m.startsWith(name) || m.includes(`property ${name}`))).toBe(true);
    }
    expect((await request(service.url).get('/api/reports/trend')).status).toBe(401);
  });
});
