import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { delightedFilesIn } from '@libs/app/src/import/delighted-export';
import { HistoryImportService } from '@libs/app/src/import/history-import.service';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { CLOCK, Clock } from '@libs/config/src';
import { quarterlyWave } from '@libs/nps/src';
import { CrmFixtures } from './support/crm-fixtures';
import { ScriptedCrmData, scriptedCrmFactory } from './support/scripted-crm';
import { startTestService, TestService } from './support/service';

/** Monday 1 June 2026, 07:00 UTC: June is wave 2 of Q2; Delighted still runs until 30 June. */
const NOW = new Date('2026-06-01T07:00:00Z');
const EXPORT = join(__dirname, 'fixtures/import/delighted');

function idInWave(wave: number): string {
  for (;;) {
    const id = randomUUID();
    if (quarterlyWave(id) === wave) return id;
  }
}

/** Every table an import (or a plan) could write, so "writes nothing" and "changes nothing" are checked everywhere. */
async function tableState(db: DataSource): Promise<Record<string, unknown>> {
  const [row] = await db.query(
    `SELECT (SELECT count(*) FROM responses)::int AS responses, (SELECT count(*) FROM responses WHERE import_source IS NOT NULL)::int AS imported_responses,
            (SELECT count(*) FROM imported_people)::int AS imported_people, (SELECT count(*) FROM imports)::int AS imports,
            (SELECT count(*) FROM opt_outs)::int AS opt_outs, (SELECT count(*) FROM surveys)::int AS surveys,
            (SELECT count(*) FROM follow_ups)::int AS follow_ups, (SELECT count(*) FROM outbox)::int AS outbox,
            (SELECT count(*) FROM response_permalinks)::int AS permalinks,
            (SELECT count(*) FROM contacts WHERE unsubscribed_at IS NOT NULL)::int AS unsubscribed_contacts,
            (SELECT max(updated_at) FROM responses)::text AS responses_changed, (SELECT max(updated_at) FROM contacts)::text AS contacts_changed`,
  );
  return row;
}

describe('importing a Delighted export (rules §10)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let auth: { Authorization: string };
  const crm = new ScriptedCrmData();
  const contacts: Record<string, string> = {};
  let acme: string;

  const upload = (query: string) =>
    request(service.url)
      .post(`/api/imports?${query}`)
      .set(auth)
      .attach('people', join(EXPORT, 'people.json'))
      .attach('unsubscribes', join(EXPORT, 'unsubscribes.json'))
      .attach('bounces', join(EXPORT, 'bounces.json'))
      .attach('survey_responses', join(EXPORT, 'survey_responses.jsonl'));

  beforeAll(async () => {
    CRM_CONNECTORS.scripted = scriptedCrmFactory(crm);
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    service.app.get<Clock>(CLOCK).now = () => NOW;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('import', 'test')).key}` };
    const conn = await fx.connection('crm');
    acme = await fx.account(conn, { name: 'Acme', renewalDate: '2026-08-15', tier: 'Mid-Market', arr: '25000.00', customerSince: '2024-01-10', owner: 'U1' });
    const globex = await fx.account(conn, { name: 'Globex', renewalDate: null });
    const initech = await fx.account(conn, { name: 'Initech', renewalDate: null });
    contacts.ana = await fx.contact(conn, acme, { id: idInWave(0), email: 'ana@acme.example', role: 'decision_maker', firstName: 'Ana' });
    contacts.eve = await fx.contact(conn, acme, { id: idInWave(1), email: 'eve@acme.example', role: 'end_user', firstName: 'Eve' });
    contacts.cara = await fx.contact(conn, globex, { id: idInWave(2), email: 'cara@globex.example', role: 'admin', firstName: 'Cara' });
    contacts.dan = await fx.contact(conn, initech, { id: idInWave(2), email: 'DAN@initech.example', firstName: 'Dan' });
    contacts.frank = await fx.contact(conn, initech, { id: idInWave(2), email: 'frank@initech.example', firstName: 'Frank' });
  });
  afterAll(async () => {
    await service?.close();
    delete CRM_CONNECTORS.scripted;
  });

  it('previews the import with dryRun: the same counts and refusals, and nothing written', async () => {
    const before = await tableState(db);
    const res = await upload('source=delighted&dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: null, dryRun: true, kind: 'delighted', source: 'delighted', status: 'succeeded', error: null });
    expect(res.body.counts).toEqual({
      answers: 11,
      imported: 6,
      alreadyImported: 0,
      matched: 5,
      unmatched: 1,
      notNps: 1,
      refused: 4,
      followedUp: 1,
      people: 6,
      peopleImported: 6,
      optOuts: 3,
      unsubscribed: 3,
    });
    expect(await tableState(db)).toEqual(before);
  });

  it('imports the NPS answers with their original time, score, comment, tags and properties, matched by email; refusals name file, row, line and reason', async () => {
    const res = await upload('source=delighted');
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ imported: 6, matched: 5, unmatched: 1, notNps: 1, refused: 4, followedUp: 1, unsubscribed: 3 });
    expect(res.body.refusals).toEqual([
      { file: 'survey_responses.jsonl', row: 5, line: 6, reason: 'no_email', detail: 'the person has no email' },
      { file: 'survey_responses.jsonl', row: 7, line: 8, reason: 'invalid_score', detail: 'score 11 is not a whole number from 0 to 10' },
      { file: 'survey_responses.jsonl', row: 8, line: 9, reason: 'invalid_record', detail: expect.stringMatching(/^line is not JSON/) },
      { file: 'survey_responses.jsonl', row: 9, line: 10, reason: 'no_email', detail: 'person 99 is not among the people of the export' },
    ]);
    expect(res.body.files.map((f: { name: string; kind: string }) => [f.kind, f.name])).toEqual([
      ['people', 'people.json'],
      ['unsubscribes', 'unsubscribes.json'],
      ['bounces', 'bounces.json'],
      ['survey_responses', 'survey_responses.jsonl'],
    ]);

    const rows = await db.query(
      `SELECT r.import_ref AS original_id, r.import_email AS email, r.contact_id, r.account_id, r.score, r.category, r.comment, r.stream, r.trigger,
              r.role_snapshot, r.tier_snapshot, r.tenure_band_snapshot, r.themes, r.import_details->'tags' AS tags, r.import_details->'properties' AS properties,
              r.import_details->>'permalink' AS permalink, r.survey_id, to_char(r.settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS settled_at
       FROM responses r WHERE r.import_source = 'delighted' ORDER BY r.import_ref`,
    );
    expect(rows.map((r: Record<string, unknown>) => [r.original_id, r.email, r.contact_id, r.score, r.settled_at])).toEqual([
      ['100', 'ana@acme.example', contacts.ana, 9, '2025-11-14T10:00:00'],
      ['101', 'ana@acme.example', contacts.ana, 3, '2026-03-03T09:00:00'],
      ['102', 'ben@umbrella.example', null, 7, '2026-04-21T12:00:00'],
      ['105', 'eve@acme.example', contacts.eve, 10, '2026-02-10T15:30:00'],
      ['108', 'cara@globex.example', contacts.cara, 6, '2026-03-15T11:00:00'],
      ['109', 'ana@acme.example', contacts.ana, 2, '2026-05-27T16:45:00'],
    ]);
    expect(rows[0]).toMatchObject({
      account_id: acme,
      category: 'promoter',
      comment: 'Love the dashboards',
      stream: 'relational',
      trigger: 'quarterly',
      role_snapshot: 'decision_maker',
      tier_snapshot: 'Mid-Market',
      tenure_band_snapshot: '1_2y', // at the answer's date (customer since 2024-01-10), not today's (over 2 years)
      tags: ['dashboards'],
      properties: { Plan: 'Pro', Country: 'USA' },
      permalink: 'https://app.delighted.com/r/2jo3B7Gak9q37XkuHrGLGAbCdevemcx8',
      survey_id: null,
    });
    expect(rows[1].themes).toEqual(['performance']);
    expect(rows[2]).toMatchObject({ role_snapshot: null, account_id: null, category: 'passive' });
    expect(rows[3].tags).toEqual(['champion']);

    // The kept summary says the same.
    const kept = await request(service.url).get(`/api/imports/${res.body.id}`).set(auth);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ id: res.body.id, status: 'succeeded', counts: res.body.counts, refusals: res.body.refusals, dryRun: false });
    const list = await request(service.url).get('/api/imports').set(auth);
    expect(list.body.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it('follows up only the answer at most 30 days old (a detractor task); never the older ones', async () => {
    const followUps = await db.query(`SELECT r.import_ref AS original_id, f.kind FROM follow_ups f JOIN responses r ON r.id = f.response_id ORDER BY 1`);
    expect(followUps).toEqual([{ original_id: '109', kind: expect.stringMatching(/detractor/) }]);
    const writes = await db.query(`SELECT operation, payload FROM outbox WHERE operation = 'crm.create_task'`);
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0].payload)).toContain('Support never answered my ticket');
  });

  it('unsubscribes every address of the unsubscribes and bounces, case-insensitively', async () => {
    const optOuts = await db.query(`SELECT email, origin, to_char(opted_out_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM opt_outs ORDER BY email`);
    expect(optOuts).toEqual([
      { email: 'cara@globex.example', origin: 'imported_unsubscribe', at: '2026-01-20' },
      { email: 'dan@initech.example', origin: 'imported_bounce', at: '2025-12-05' },
      { email: 'hal@hooli.example', origin: 'imported_bounce', at: '2026-02-10' },
    ]);
    const unsubscribed = await db.query(`SELECT id FROM contacts WHERE unsubscribed_at IS NOT NULL ORDER BY id`);
    expect(unsubscribed.map((c: { id: string }) => c.id)).toEqual([contacts.cara, contacts.dan].sort());
  });

  it('imports the same export again without changing anything', async () => {
    const before = await tableState(db);
    const res = await upload('source=delighted');
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ imported: 0, alreadyImported: 6, matched: 0, unmatched: 0, peopleImported: 0, unsubscribed: 0, followedUp: 0 });
    expect(await tableState(db)).toEqual({ ...before, imports: (before.imports as number) + 1 });
  });

  it('skips the unsubscribed and bounced people in the relational plan, and counts a last send within 30 days as suppression', async () => {
    const plan = await request(service.url).post('/api/plan/run').set(auth);
    expect(plan.status).toBeLessThan(300);
    const surveys = await db.query(`SELECT contact_id, trigger, status, skip_reason FROM surveys ORDER BY email`);
    expect(surveys).toEqual(
      expect.arrayContaining([
        // Ana decides Acme's renewal; Delighted last sent her a survey on 25 May, 7 days before the first send window.
        { contact_id: contacts.ana, trigger: 'pre_renewal', status: 'skipped', skip_reason: 'suppressed' },
        { contact_id: contacts.cara, trigger: 'quarterly', status: 'skipped', skip_reason: 'opted_out' },
        { contact_id: contacts.dan, trigger: 'quarterly', status: 'skipped', skip_reason: 'opted_out' },
        { contact_id: contacts.frank, trigger: 'quarterly', status: 'scheduled', skip_reason: null },
      ]),
    );
    expect(surveys.filter((s: { status: string; contact_id: string }) => s.status !== 'skipped' && s.contact_id !== contacts.frank)).toEqual([]);
  });

  it('shows the imported history in the trend report at its original dates, and not in the response rate', async () => {
    const trend = await request(service.url).get('/api/reports/trend?granularity=month').set(auth);
    expect(trend.status).toBe(200);
    expect(trend.body.streams.relational.map((p: { period: string; summary: { n: number; nps: number | null } }) => [p.period, p.summary.n, p.summary.nps])).toEqual([
      ['2025-11', 1, 100],
      ['2025-12', 0, null],
      ['2026-01', 0, null],
      ['2026-02', 1, 100],
      ['2026-03', 2, -100],
      ['2026-04', 1, 0],
      ['2026-05', 1, -100],
    ]);
    const rate = await request(service.url).get('/api/reports/response-rate').set(auth);
    expect(rate.status).toBe(200);
    expect(rate.body.streams.relational).toMatchObject({ sent: 0, responses: 0, rate: null });
  });

  it('matches the unmatched answer when its email appears in a later CRM sync, and unsubscribes a bounced contact when it first appears', async () => {
    crm.put('owners', { externalId: 'U9', name: 'Casey CSM', email: 'casey@vendor.example', active: true });
    crm.put('accounts', {
      externalId: 'UMB',
      name: 'Umbrella',
      arr: '120000.00',
      arrCurrency: 'USD',
      renewalDate: null,
      tier: 'Enterprise',
      customerSince: '2021-03-01',
      ownerExternalId: 'U9',
      usageScore: null,
    });
    crm.put('contacts', { externalId: 'B1', accountExternalId: 'UMB', email: 'BEN@umbrella.example', firstName: 'Ben', lastName: 'Brooks' });
    crm.put('contact_roles', { externalId: 'RB1', accountExternalId: 'UMB', contactExternalId: 'B1', roles: ['Decision Maker'] });
    crm.put('contacts', { externalId: 'H1', accountExternalId: 'UMB', email: 'hal@hooli.example', firstName: 'Hal', lastName: 'Hughes' });
    const encrypted = service.app.get(ConnectorBuilder).encrypt({ token: 't' });
    const [{ id: connectionId }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ('scripted', 'later crm', $1, '{}') RETURNING id`, [
      encrypted,
    ]);
    expect((await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual' }))?.status).toBe('succeeded');

    const [ben] = await db.query(`SELECT c.id, c.account_id FROM contacts c WHERE c.external_id = 'B1'`);
    const [answer] = await db.query(
      `SELECT r.contact_id, r.account_id, r.role_snapshot, r.tier_snapshot, r.arr_band_snapshot, r.enterprise_snapshot, r.import_matched_at IS NOT NULL AS matched
       FROM responses r WHERE r.import_source = 'delighted' AND r.import_ref = '102'`,
    );
    expect(answer).toEqual({
      contact_id: ben.id,
      account_id: ben.account_id,
      role_snapshot: 'decision_maker',
      tier_snapshot: 'Enterprise',
      arr_band_snapshot: '100k_500k',
      enterprise_snapshot: true,
      matched: true,
    });
    const [hal] = await db.query(`SELECT to_char(unsubscribed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM contacts WHERE external_id = 'H1'`);
    expect(hal.at).toBe('2026-02-10');
    // A later matched answer is history: no follow-up is planned for it.
    expect((await db.query(`SELECT count(*)::int AS n FROM follow_ups`))[0].n).toBe(1);
  });

  it('imports a folder the way the command reads it, and refuses a folder with unknown files naming them', async () => {
    const files = await delightedFilesIn(EXPORT);
    expect(files.map((f) => f.kind)).toEqual(['people', 'unsubscribes', 'bounces', 'survey_responses']);
    const summary = await service.app.get(HistoryImportService).run({ kind: 'delighted', files, dryRun: true, actor: 'test' });
    expect(summary.counts).toMatchObject({ imported: 0, alreadyImported: 6 });
    await expect(delightedFilesIn(join(__dirname, 'fixtures/import'))).rejects.toThrow(/holds no survey_responses/);
  });

  it('keeps an import that breaks off in a file as failed, with the reason and what it wrote before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npsb-broken-export-'));
    try {
      const answer = (id: string) => ({ id, person: { id: `p${id}`, email: `p${id}@broken.example` }, survey_type: 'nps', score: 8, created_at: 1768896000 });
      writeFileSync(join(dir, 'survey_responses.json'), `${JSON.stringify([answer('b1'), answer('b2')]).slice(0, -1)},{"id":"b3","score":`);
      const res = await request(service.url).post('/api/imports?source=delighted').set(auth).attach('survey_responses', join(dir, 'survey_responses.json'));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^survey_responses\.json: /) });
      const kept = await request(service.url).get(`/api/imports/${res.body.id}`).set(auth);
      expect(kept.body).toMatchObject({ status: 'failed', error: res.body.error });
      // Importing the fixed file again adds only what is missing.
      writeFileSync(join(dir, 'survey_responses.json'), JSON.stringify([answer('b1'), answer('b2'), answer('b3')]));
      const again = await request(service.url).post('/api/imports?source=delighted').set(auth).attach('survey_responses', join(dir, 'survey_responses.json'));
      expect(again.body.counts).toMatchObject({ imported: 3 - res.body.counts.imported, alreadyImported: res.body.counts.imported });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 400 naming the field for a bad source, dryRun or upload, and 404 for an unknown import', async () => {
    const bad = async (call: request.Test, message: RegExp) => {
      const res = await call;
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toMatch(message);
    };
    await bad(request(service.url).post('/api/imports').set(auth), /^source: must be delighted or csv/);
    await bad(request(service.url).post('/api/imports?source=delighted&dryRun=maybe').set(auth), /^dryRun: must be true or false/);
    await bad(request(service.url).post('/api/imports?source=delighted').set(auth).send({ files: [] }), /^body: must be multipart\/form-data/);
    await bad(
      request(service.url).post('/api/imports?source=delighted').set(auth).attach('surveys', join(EXPORT, 'people.json')),
      /^surveys: is not a part a Delighted import takes/,
    );
    await bad(
      request(service.url)
        .post('/api/imports?source=delighted')
        .set(auth)
        .attach('files', join(EXPORT, '..', 'delighted', 'people.json'), 'answers.json'),
      /^files: answers.json is not a Delighted export file/,
    );
    const missing = await request(service.url).get(`/api/imports/${randomUUID()}`).set(auth);
    expect(missing.status).toBe(404);
    expect((await request(service.url).get('/api/imports')).status).toBe(401);
  });
});
