import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { FirstScore, ResponsesRepository } from './responses.repository';
import { SurveysRepository } from './surveys.repository';

const NOW = new Date('2026-11-10T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const SETTLE_MINUTES = 30;

/** Settle (rules §5): a response settles once; a second score before that merges into it. */
describe('ResponsesRepository on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });
  beforeEach(() => db.query(`TRUNCATE surveys, responses CASCADE`));

  let n = 0;
  async function answeredSurvey(): Promise<string> {
    const id = await new SurveysRepository(db.manager).insert({
      stream: 'relational',
      trigger: 'quarterly',
      idempotencyKey: `quarterly:2026-Q4:c${++n}`,
      sourceConnectionId: null,
      sourceRef: '2026-Q4',
      contactId: null,
      accountId: null,
      email: `person${n}@customer.example`,
      recipientName: null,
      context: {},
      status: 'scheduled',
      skipReason: null,
      scheduledAt: minutes(-120),
      sendDeadlineAt: null,
    });
    return id!;
  }

  const score = (surveyId: string, value: number, at: Date): FirstScore => ({
    surveyId,
    stream: 'relational',
    trigger: 'quarterly',
    contactId: null,
    accountId: null,
    score: value,
    category: value >= 9 ? 'promoter' : value >= 7 ? 'passive' : 'detractor',
    snapshot: { role: 'admin', tier: 'Mid-Market', arrBand: '10k-50k', tenureBand: '1-2y', enterprise: false },
    at,
  });

  const row = async (surveyId: string) =>
    (
      await db.query(
        `SELECT id, score, category, comment, role_snapshot, first_answered_at, last_changed_at, settled_at, reference_opt_in
         FROM responses WHERE survey_id = $1`,
        [surveyId],
      )
    )[0];

  it('merges a second first score (another tab) into the one response, keeping when it was first answered', async () => {
    const survey = await answeredSurvey();
    const responses = new ResponsesRepository(db.manager);
    await responses.recordFirstScore(score(survey, 3, minutes(-40)));
    await responses.recordFirstScore({ ...score(survey, 9, minutes(-35)), snapshot: { role: 'decision_maker', tier: null, arrBand: null, tenureBand: null, enterprise: true } });
    expect(await db.query(`SELECT count(*)::int AS n FROM responses`)).toEqual([{ n: 1 }]);
    expect(await row(survey)).toMatchObject({
      score: 9,
      category: 'promoter',
      role_snapshot: 'admin',
      first_answered_at: minutes(-40),
      last_changed_at: minutes(-35),
      settled_at: null,
    });
  });

  it('settles what is due once, at last change + 30 minutes; the next run takes nothing', async () => {
    const due = await answeredSurvey();
    const recent = await answeredSurvey();
    const responses = new ResponsesRepository(db.manager);
    await responses.recordFirstScore(score(due, 6, minutes(-31)));
    await responses.recordFirstScore(score(recent, 10, minutes(-29)));

    const settled = await responses.settleDue(NOW, SETTLE_MINUTES, 200);
    const dueRow = await row(due);
    expect(settled).toEqual([dueRow.id]);
    expect(dueRow.settled_at).toEqual(minutes(-1));
    expect((await row(recent)).settled_at).toBeNull();
    expect(await responses.settleDue(NOW, SETTLE_MINUTES, 200)).toEqual([]);
  });

  it('never settles one response in two workers: concurrent settle runs split the due responses', async () => {
    const surveys = [];
    for (let i = 0; i < 12; i++) surveys.push(await answeredSurvey());
    for (const [i, survey] of surveys.entries()) await new ResponsesRepository(db.manager).recordFirstScore(score(survey, i % 11, minutes(-60 + i)));

    const runs = await Promise.all([1, 2, 3].map(() => db.transaction((tx) => new ResponsesRepository(tx).settleDue(NOW, SETTLE_MINUTES, 5))));
    const settled = runs.flat();
    expect(new Set(settled).size).toBe(settled.length);
    expect(settled).toHaveLength(12);
  });

  it('keeps a settled answer: no score change, no second settle, no merge of a late first score', async () => {
    const survey = await answeredSurvey();
    const responses = new ResponsesRepository(db.manager);
    await responses.recordFirstScore(score(survey, 2, minutes(-10)));
    const [id] = await responses.settleWithComment(survey, 'Too slow', ['performance'], true, minutes(-5));
    expect(id).toEqual((await row(survey)).id);

    expect(await responses.settleWithComment(survey, 'changed my mind', [], false, NOW)).toEqual([]);
    await responses.changeScore(survey, 10, 'promoter', NOW);
    await responses.recordFirstScore(score(survey, 10, NOW));
    expect(await responses.settleDue(minutes(60), SETTLE_MINUTES, 200)).toEqual([]);
    // The opt-in counts for promoters only; the detractor's stays false.
    expect(await row(survey)).toMatchObject({
      score: 2,
      category: 'detractor',
      comment: 'Too slow',
      reference_opt_in: false,
      settled_at: minutes(-5),
      last_changed_at: minutes(-10),
    });
  });
});
