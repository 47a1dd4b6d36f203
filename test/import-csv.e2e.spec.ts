import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const NOW = new Date('2026-12-07T08:00:00Z');

const MAPPING = {
  source: 'qualtrics',
  columns: { id: 'Response ID', email: 'Email', score: 'How likely', created_at: 'Recorded', comment: 'Why', stream: 'Program', tags: 'Labels' },
  tagSeparator: ';',
  properties: ['Plan', 'Region'],
};

/** Line 1 is the header; the line numbers in the comments are what refusals must name. */
const CSV = [
  'Response ID,Email,How likely,Recorded,Why,Program,Labels,Plan,Region,Ignored',
  'r1,Zoe@Wayne.example,10,2026-01-15T10:00:00Z,"Fast, reliable, and the support team is great",,advocate;reference,Pro,EMEA,x', // 2
  'r2,yan@wayne.example,4,1772528400,The price doubled,relational,,Pro,EMEA,x', // 3
  'r3,xia@unknown.example,8,2026-02-20,,transactional,,Starter,APAC,x', // 4
  'r4,,9,2026-02-21T08:00:00Z,No email here,,,Pro,EMEA,x', // 5
  'r5,wes@wayne.example,eleven,2026-02-22T08:00:00Z,Bad score,,,Pro,EMEA,x', // 6
  'r6,vic@wayne.example,7,2026-02-30,Impossible day,,,Pro,EMEA,x', // 7
  'r7,uma@wayne.example,7,2026-03-01,,loyalty,,Pro,EMEA,x', // 8
  'r8,tom@wayne.example,6', // 9
  'r9,sam@wayne.example,5,"2026-03-02T09:00:00+02:00","A comment', // 10
  'over two lines",,,Pro,EMEA,x', // 11
  ',rae@wayne.example,9,2026-03-03T09:00:00Z,No id,,,Pro,EMEA,x', // 12
].join('\n');

async function tableState(db: DataSource): Promise<Record<string, unknown>> {
  const [row] = await db.query(
    `SELECT (SELECT count(*) FROM responses)::int AS responses, (SELECT count(*) FROM responses WHERE import_source IS NOT NULL)::int AS imported_responses,
            (SELECT count(*) FROM imports)::int AS imports, (SELECT count(*) FROM opt_outs)::int AS opt_outs, (SELECT count(*) FROM surveys)::int AS surveys,
            (SELECT count(*) FROM follow_ups)::int AS follow_ups, (SELECT count(*) FROM outbox)::int AS outbox,
            (SELECT max(updated_at) FROM responses)::text AS responses_changed`,
  );
  return row;
}

describe('importing a CSV with a column mapping (rules §10)', () => {
  let service: TestService;
  let db: DataSource;
  let auth: { Authorization: string };
  let dir: string;
  const contacts: Record<string, string> = {};

  const upload = (query: string, csv = join(dir, 'history.csv'), mapping: unknown = MAPPING) =>
    request(service.url)
      .post(`/api/imports?${query}`)
      .set(auth)
      .field('mapping', typeof mapping === 'string' ? mapping : JSON.stringify(mapping))
      .attach('file', csv);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npsb-import-csv-'));
    writeFileSync(join(dir, 'history.csv'), CSV);
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    service.app.get<Clock>(CLOCK).now = () => NOW;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('import', 'test')).key}` };
    const fx = new CrmFixtures(db);
    const conn = await fx.connection('crm');
    const wayne = await fx.account(conn, { name: 'Wayne', tier: 'Growth', arr: '60000.00', customerSince: '2025-12-01' });
    contacts.zoe = await fx.contact(conn, wayne, { email: 'zoe@wayne.example', role: 'decision_maker' });
    // Two contacts share Yan's address: the one with an account wins (rules §11 settled readings).
    await fx.contact(conn, null, { email: 'YAN@wayne.example', role: 'other' });
    contacts.yan = await fx.contact(conn, wayne, { email: 'yan@wayne.example', role: 'end_user' });
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('previews a CSV import (dryRun): counts, refused rows with their line and reason, and nothing written', async () => {
    const before = await tableState(db);
    const res = await upload('source=csv&dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: null, dryRun: true, kind: 'csv', source: 'qualtrics', status: 'succeeded' });
    expect(res.body.counts).toMatchObject({ answers: 10, imported: 4, matched: 2, unmatched: 2, alreadyImported: 0, notNps: 0, refused: 6, followedUp: 0 });
    expect(await tableState(db)).toEqual(before);
  });

  it('imports the rows: matched by email, original dates, stream per row, tags and chosen properties; refusals name line and reason', async () => {
    const res = await upload('source=csv');
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ answers: 10, imported: 4, matched: 2, unmatched: 2, refused: 6 });
    expect(res.body.refusals.map((r: { row: number; line: number; reason: string; detail: string }) => [r.line, r.reason, r.detail])).toEqual([
      [5, 'no_email', 'the person has no email'],
      [6, 'invalid_score', 'score "eleven" is not a whole number from 0 to 10'],
      [7, 'invalid_date', 'date "2026-02-30" is not ISO 8601 or Unix seconds'],
      [8, 'invalid_stream', 'stream "loyalty" is not relational or transactional'],
      [9, 'invalid_record', 'the row has 3 fields, the header 10'],
      [12, 'missing_id', 'the answer has no id'],
    ]);
    const rows = await db.query(
      `SELECT r.import_ref AS original_id, r.import_source AS source, r.import_email AS email, r.contact_id, r.stream, r.trigger, r.score, r.comment,
              r.role_snapshot, r.import_details->'tags' AS tags, r.import_details->'properties' AS properties,
              to_char(r.settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at
       FROM responses r WHERE r.import_source IS NOT NULL ORDER BY r.import_ref`,
    );
    expect(rows).toEqual([
      {
        original_id: 'r1',
        source: 'qualtrics',
        email: 'zoe@wayne.example',
        contact_id: contacts.zoe,
        stream: 'relational',
        trigger: 'quarterly',
        score: 10,
        comment: 'Fast, reliable, and the support team is great',
        role_snapshot: 'decision_maker',
        tags: ['advocate', 'reference'],
        properties: { Plan: 'Pro', Region: 'EMEA' },
        at: '2026-01-15T10:00:00',
      },
      expect.objectContaining({ original_id: 'r2', contact_id: contacts.yan, role_snapshot: 'end_user', at: '2026-03-03T09:00:00', comment: 'The price doubled' }),
      expect.objectContaining({ original_id: 'r3', contact_id: null, stream: 'transactional', trigger: 'ticket_solved', at: '2026-02-20T00:00:00', comment: null }),
      expect.objectContaining({ original_id: 'r9', contact_id: null, score: 5, at: '2026-03-02T07:00:00', comment: 'A comment\nover two lines' }),
    ]);
  });

  it('imports the same file again as a no-op, and keeps each run in GET /api/imports', async () => {
    const before = await tableState(db);
    const res = await upload('source=csv');
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ imported: 0, alreadyImported: 4, matched: 0, unmatched: 0, refused: 6 });
    expect(await tableState(db)).toEqual({ ...before, imports: (before.imports as number) + 1 });
    const list = await request(service.url).get('/api/imports?limit=5').set(auth);
    expect(list.status).toBe(200);
    expect(list.body.map((i: { counts: { imported: number }; refusals: unknown[] }) => [i.counts.imported, i.refusals.length])).toEqual([
      [0, 0],
      [4, 0],
    ]);
    const one = await request(service.url).get(`/api/imports/${res.body.id}`).set(auth);
    expect(one.body.refusals).toHaveLength(6);
    expect(one.body.files).toEqual([{ name: 'history.csv', kind: 'csv', bytes: Buffer.byteLength(CSV) }]);
  });

  it('keys rows without an id column by their content, so importing them twice adds them once', async () => {
    const csv = join(dir, 'no-ids.csv');
    writeFileSync(csv, 'email;score;date\nq@wayne.example;9;1767225600\nq@wayne.example;3;1767312000\n');
    const mapping = { source: 'survey-tool', delimiter: ';', columns: { email: 'email', score: 'score', created_at: 'date' } };
    expect((await upload('source=csv', csv, mapping)).body.counts).toMatchObject({ imported: 2, alreadyImported: 0 });
    expect((await upload('source=csv', csv, mapping)).body.counts).toMatchObject({ imported: 0, alreadyImported: 2 });
  });

  it('shows the imported rows in the trend report at their original dates', async () => {
    const trend = await request(service.url).get('/api/reports/trend?granularity=month&from=2026-01-01&to=2026-03-31').set(auth);
    expect(trend.status).toBe(200);
    expect(trend.body.streams.relational.map((p: { period: string; summary: { n: number } }) => [p.period, p.summary.n])).toEqual([
      ['2026-01', 3], // r1, and the two rows without ids (1 and 2 January)
      ['2026-02', 0],
      ['2026-03', 2], // r2, r9
    ]);
    expect(trend.body.streams.transactional.map((p: { period: string; summary: { n: number } }) => [p.period, p.summary.n])).toEqual([
      ['2026-01', 0],
      ['2026-02', 1], // r3
      ['2026-03', 0],
    ]);
  });

  it('refuses a bad mapping with 400 naming the field, and a mapped column the header lacks, writing nothing', async () => {
    const before = await tableState(db);
    const refused = async (mapping: unknown, expected: string[]) => {
      const res = await upload('source=csv', join(dir, 'history.csv'), mapping);
      expect([res.status, res.body.message]).toEqual([400, expected]);
    };
    await refused({ columns: { email: 'Email', created_at: 'Recorded' } }, ['mapping.columns.score: is required (the name of the column holding the 0–10 score)']);
    await refused({ columns: { email: 'Email', score: 7, created_at: 'Recorded', mood: 'Why' }, stream: 'loyalty', extra: true }, [
      'mapping.extra: is not a mapping field (fields: source, columns, stream, trigger, delimiter, tagSeparator, properties)',
      'mapping.columns.score: must be the name of a CSV column (non-empty text)',
      'mapping.columns.mood: is not a mapped value (values: email, score, created_at, id, comment, stream, trigger, tags, name, survey_type)',
      'mapping.stream: must be relational or transactional',
    ]);
    await refused({ columns: { email: 'Email', score: 'Score', created_at: 'Recorded' } }, [
      'mapping.columns.score: column "Score" is not in the header of history.csv (columns: Response ID, Email, How likely, Recorded, Why, Program, Labels, Plan, Region, Ignored)',
    ]);
    await refused('{"columns": ', [expect.stringMatching(/^mapping: is not valid JSON/)] as unknown as string[]);
    const noMapping = await request(service.url).post('/api/imports?source=csv').set(auth).attach('file', join(dir, 'history.csv'));
    expect([noMapping.status, noMapping.body.message[0]]).toEqual([400, expect.stringMatching(/^mapping: is required for a CSV import/)]);
    expect(await tableState(db)).toEqual(before);
  });
});
