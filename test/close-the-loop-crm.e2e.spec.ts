import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { TaskReadback } from '@libs/app/src/follow-ups/task-readback';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { crmConnectorFactory } from '@connectors/core/registry';
import { NpsAccountField, NpsContactField } from '@connectors/core/src';
import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { createSalesforceSandbox, SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { CLOCK, Clock } from '@libs/config/src';
import { startTestService, TestService } from './support/service';
import { answer, sentSurvey } from './support/survey-answers';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const START = Date.parse('2026-11-02T10:00:00Z');
const HOUR = 3600_000;

/** A task as the CSM sees it in the CRM, in the same terms for both vendors. */
interface SeenTask {
  id: string;
  subject: string;
  contact: string | null;
  account: string | null;
  owner: string | null;
  /** Salesforce keeps a due date; HubSpot a due instant (both compared exactly). */
  due: string;
  priority: string;
  open: boolean;
  description: string;
}

interface Crm<S> {
  kind: 'salesforce' | 'hubspot';
  /** A well-formed user id the CRM does not know. */
  unknownOwner: string;
  sandbox(): S;
  credentials(url: string): Record<string, unknown>;
  settings: Record<string, unknown>;
  tasks(s: S): SeenTask[];
  /** The due value the vendor should hold for a due instant. */
  due(at: Date): string;
  priorities: Record<'high' | 'normal' | 'low', string>;
  /** A record's field values by API name, as strings ('' for empty). */
  fields(s: S, object: 'account' | 'contact', id: string): Record<string, string>;
  complete(s: S, taskId: string): void;
  outage(s: S, on: boolean): void;
  failAfterWrite(s: S, count: number): void;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

const salesforce: Crm<SalesforceSandbox> = {
  kind: 'salesforce',
  unknownOwner: '005000000000099AAA',
  sandbox: () => createSalesforceSandbox({ accounts: 200, contactsPerAccount: 3, seed: 21 }),
  credentials: (url) => ({ authType: 'client_credentials', loginUrl: url, clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' }),
  settings: {},
  tasks: (s) =>
    s.tasks().map((t) => ({
      id: String(t.Id),
      subject: String(t.Subject),
      contact: (t.WhoId as string | null) ?? null,
      account: (t.WhatId as string | null) ?? null,
      owner: (t.OwnerId as string | null) ?? null,
      due: text(t.ActivityDate),
      priority: String(t.Priority),
      open: t.IsClosed !== true,
      description: String(t.Description),
    })),
  due: (at) => at.toISOString().slice(0, 10),
  priorities: { high: 'High', normal: 'Normal', low: 'Low' },
  fields: (s, object, id) => {
    const row = s.record(object === 'account' ? 'Account' : 'Contact', id) ?? {};
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, text(v)]));
  },
  complete: (s, id) => s.completeTask(id),
  outage: (s, on) => s.setOutage(on),
  failAfterWrite: (s, n) => s.failAfterWrite(n),
};

const hubspot: Crm<HubSpotSandbox> = {
  kind: 'hubspot',
  unknownOwner: '99999999',
  sandbox: () => createHubSpotSandbox({ companies: 200, contactsPerCompany: 3, seed: 21 }),
  credentials: (url) => ({ authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: url }),
  settings: { roleMapping: { 'End User': 'end_user' } },
  tasks: (s) =>
    s.tasks().map((t) => ({
      id: t.id,
      subject: text(t.subject),
      contact: t.contactIds.length === 1 ? t.contactIds[0] : t.contactIds.length ? t.contactIds.join(',') : null,
      account: t.companyIds.length === 1 ? t.companyIds[0] : t.companyIds.length ? t.companyIds.join(',') : null,
      owner: t.ownerId,
      due: text(t.dueAt),
      priority: text(t.priority),
      open: t.status !== 'COMPLETED',
      description: text(t.body),
    })),
  due: (at) => at.toISOString(),
  priorities: { high: 'HIGH', normal: 'MEDIUM', low: 'LOW' },
  fields: (s, object, id) => {
    const props = (object === 'account' ? s.companyProperties(id) : s.contactProperties(id)) ?? {};
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, text(v)]));
  },
  complete: (s, id) => void s.completeTask(id),
  outage: (s, on) => s.outage(on),
  failAfterWrite: (s, n) => s.failAfterWrite(n),
};

interface Case {
  name: string;
  trigger: 'quarterly' | 'pre_renewal';
  score: number;
  enterprise: boolean;
  /** The tasks rules §6 asks for, in order: kind, hours to due, priority, assignee, what it asks. */
  tasks: Array<{ kind: string; dueHours: number; priority: 'high' | 'normal' | 'low'; to: 'csm' | 'leadership'; asks: string }>;
  /** rules §7 for one response: the account's sentiment and the quadrants its activity allows. */
  sentiment: 'detractor' | 'passive' | 'promoter';
  nps: number;
}

const CALL = 'Call the respondent, ask one root-cause question, and record the action.';
const CASES: Case[] = [
  {
    name: 'detractor (relational)',
    trigger: 'quarterly',
    score: 4,
    enterprise: false,
    sentiment: 'detractor',
    nps: -100,
    tasks: [{ kind: 'detractor_call', dueHours: 48, priority: 'high', to: 'csm', asks: CALL }],
  },
  {
    name: 'pre_renewal, score 6',
    trigger: 'pre_renewal',
    score: 6,
    enterprise: false,
    sentiment: 'detractor',
    nps: -100,
    tasks: [{ kind: 'renewal_check_in', dueHours: 24, priority: 'high', to: 'csm', asks: `Check in ahead of the renewal: ${CALL[0].toLowerCase()}${CALL.slice(1)}` }],
  },
  {
    name: 'enterprise detractor',
    trigger: 'quarterly',
    score: 2,
    enterprise: true,
    sentiment: 'detractor',
    nps: -100,
    tasks: [
      { kind: 'detractor_call', dueHours: 48, priority: 'high', to: 'csm', asks: CALL },
      {
        kind: 'leadership_escalation',
        dueHours: 48,
        priority: 'high',
        to: 'leadership',
        asks: `Escalation (enterprise detractor): make sure the respondent is called, one root-cause question is asked, and the action is recorded.`,
      },
    ],
  },
  {
    name: 'passive',
    trigger: 'quarterly',
    score: 8,
    enterprise: false,
    sentiment: 'passive',
    nps: 0,
    tasks: [{ kind: 'improvement_ask', dueHours: 168, priority: 'normal', to: 'csm', asks: 'Ask: "What would need to change for you to give us a 9 or 10?"' }],
  },
  {
    name: 'promoter',
    trigger: 'quarterly',
    score: 10,
    enterprise: false,
    sentiment: 'promoter',
    nps: 100,
    tasks: [{ kind: 'advocacy_ask', dueHours: 168, priority: 'low', to: 'csm', asks: 'Advocacy ask: case study, reference call or review.' }],
  },
];

const QUADRANTS = { detractor: ['friction', 'churn_risk'], passive: ['passive_engaged', 'passive_drifting'], promoter: ['champion', 'adoption_risk'] };

interface Person {
  contactId: string;
  contactExternalId: string;
  email: string;
  name: string;
  role: string;
  accountId: string;
  accountExternalId: string;
  accountName: string;
  owner: string;
}

describe.each([salesforce, hubspot] as Array<Crm<any>>)('closing the loop in the $kind sandbox', (crm) => {
  let service: TestService;
  let db: DataSource;
  let sandbox: any;
  let served: ListeningSandbox;
  let clock: Clock;
  let auth: { Authorization: string };
  let connectionId: string;
  let leadership: string;
  let now = START;
  const names = crmConnectorFactory(crm.kind)!.npsFieldNames;
  const used = new Set<string>();

  beforeAll(async () => {
    ConnectorBuilder.sleepOverride = async () => undefined;
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    sandbox = crm.sandbox();
    served = await listenSandbox(sandbox);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    const created = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: crm.kind, name: `${crm.kind} sandbox`, credentials: crm.credentials(served.url), settings: crm.settings });
    expect([created.status, created.body.message]).toEqual([201, undefined]);
    connectionId = created.body.id;
    expect((await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual' }))?.status).toBe('succeeded');

    const setup = await request(service.url).post(`/api/connections/${connectionId}/setup`).set(auth);
    expect(setup.status).toBe(200);
    expect(setup.body.fields.manual).toEqual([]);
    expect(setup.body.fields.created).toHaveLength(16);

    [{ external_id: leadership }] = await db.query(
      `SELECT external_id FROM crm_owners WHERE connection_id = $1 AND active AND deleted_at IS NULL ORDER BY external_id DESC LIMIT 1`,
      [connectionId],
    );
    expect(
      (
        await request(service.url)
          .put('/api/program')
          .set(auth)
          .send({ rules: { leadershipOwnerId: leadership } })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    ConnectorBuilder.sleepOverride = undefined;
    await served.close();
    await service.close();
  });

  /** A contact with an email on an account with a CSM, one per account, never used before in this file. */
  async function person(enterprise: boolean): Promise<Person> {
    const rows: Array<Person & { tier: string | null; arr: string | null }> = await db.query(
      `SELECT c.id AS "contactId", c.external_id AS "contactExternalId", c.email, trim(concat_ws(' ', c.first_name, c.last_name)) AS name, c.role,
              a.id AS "accountId", a.external_id AS "accountExternalId", a.name AS "accountName", a.owner_external_id AS owner
       FROM contacts c JOIN accounts a ON a.id = c.account_id
       WHERE c.connection_id = $1 AND c.deleted_at IS NULL AND a.deleted_at IS NULL AND c.email IS NOT NULL AND a.owner_external_id IS NOT NULL
         AND (lower(coalesce(a.tier, '')) = 'enterprise' OR coalesce(a.arr, 0) >= 100000) = $2
       ORDER BY a.external_id, c.external_id`,
      [connectionId, enterprise],
    );
    const pick = rows.find((r) => !used.has(r.accountId));
    if (!pick) throw new Error(`the sandbox has no unused ${enterprise ? 'enterprise' : 'other'} account left`);
    used.add(pick.accountId);
    return pick;
  }

  async function respond(who: Person, trigger: 'quarterly' | 'pre_renewal', score: number, comment: string): Promise<string> {
    const token = await sentSurvey(db, { trigger, email: who.email, contactId: who.contactId, accountId: who.accountId, sentAt: new Date(now - HOUR) });
    await answer(service.url, token, score, comment);
    const [row] = await db.query(
      `SELECT r.id FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.token_hash IS NOT NULL AND s.contact_id = $1 ORDER BY r.created_at DESC LIMIT 1`,
      [who.contactId],
    );
    return row.id;
  }

  const deliver = () => service.app.get(OutboxDispatcher).deliverDue();
  const byId = () => new Map(crm.tasks(sandbox).map((t) => [t.id, t]));
  const followUps = (responseId: string) =>
    db.query(`SELECT id, kind, status, external_id, subject, due_at FROM follow_ups WHERE response_id = $1 ORDER BY kind`, [responseId]) as Promise<
      Array<{ id: string; kind: string; status: string; external_id: string | null; subject: string; due_at: Date }>
    >;

  it.each(CASES)('$name: the exact tasks, account fields and contact fields land in the CRM', async (c) => {
    const who = await person(c.enterprise);
    const comment = `Case ${c.name}`;
    const responseId = await respond(who, c.trigger, c.score, comment);
    const settledAt = new Date(now);
    expect(await deliver()).toMatchObject({ failed: 0, retried: 0 });

    const rows = await followUps(responseId);
    expect(rows.map((r) => r.kind)).toEqual(c.tasks.map((t) => t.kind).sort());
    const tasks = byId();
    for (const expected of c.tasks) {
      const row = rows.find((r) => r.kind === expected.kind)!;
      expect(row).toMatchObject({ status: 'open', external_id: expect.any(String) });
      const task = tasks.get(row.external_id!);
      const due = new Date(settledAt.getTime() + expected.dueHours * HOUR);
      expect(task).toEqual({
        id: row.external_id,
        subject: row.subject,
        contact: who.contactExternalId,
        account: who.accountExternalId,
        owner: expected.to === 'csm' ? who.owner : leadership,
        due: crm.due(due),
        priority: crm.priorities[expected.priority],
        open: true,
        description: expect.any(String),
      });
      const category = c.score >= 9 ? 'promoter' : c.score >= 7 ? 'passive' : 'detractor';
      expect(row.subject).toMatch(new RegExp(`^NPS ${category} \\(${c.score}/10\\): .* at ${who.accountName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      const lines = task!.description.split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          `NPS score: ${c.score} (${category})`,
          `Comment: "${comment}"`,
          `Account: ${who.accountName}`,
          expect.stringMatching(new RegExp(`^Response: ${service.url}/r/[A-Za-z0-9_-]{43}$`)),
          `Next step: ${expected.asks}`,
        ]),
      );
      expect(lines.find((l) => l.startsWith('Respondent: '))).toContain(`<${who.email}>`);
      expect(lines.find((l) => l.startsWith('ARR: '))).toBeDefined();
    }
    // One task per follow-up, nothing else for this contact.
    expect([...tasks.values()].filter((t) => t.contact === who.contactExternalId)).toHaveLength(c.tasks.length);

    const account = crm.fields(sandbox, 'account', who.accountExternalId);
    const field = (f: NpsAccountField) => account[names[f]];
    expect(field('relationalNps')).toBe(String(c.nps));
    expect(field('sentiment')).toBe(c.sentiment);
    expect(field('responses12m')).toBe('1');
    expect(field('lastResponseDate')).toMatch(new RegExp(`^${settledAt.toISOString().slice(0, 10)}`));
    const [health] = await db.query(`SELECT quadrant, activity FROM account_health WHERE account_id = $1`, [who.accountId]);
    // rules §7: without a usage value or ARR history 180 days deep, activity and so the quadrant are unknown.
    expect(health.activity === 'unknown' ? ['unknown'] : QUADRANTS[c.sentiment]).toContain(field('healthQuadrant'));
    expect(field('healthQuadrant')).toBe(health.quadrant);
    // Reports file the response under the quadrant its settle computed (a snapshot, rules §3).
    expect(await db.query(`SELECT quadrant_snapshot FROM responses WHERE account_id = $1 AND settled_at IS NOT NULL`, [who.accountId])).toEqual([
      { quadrant_snapshot: health.quadrant },
    ]);

    const contact = crm.fields(sandbox, 'contact', who.contactExternalId);
    const cfield = (f: NpsContactField) => contact[names[f]];
    expect([cfield('lastRelationalScore'), cfield('lastRelationalCategory'), cfield('lastRelationalComment')]).toEqual([String(c.score), c.sentiment, comment]);
    expect(cfield('lastRelationalDate')).toMatch(new RegExp(`^${settledAt.toISOString().slice(0, 10)}`));
    expect(cfield('lastTransactionalScore') ?? '').toBe('');
  });

  it('a task completed in the CRM closes its follow-up at the next read, and /api/loop-closure shows it', async () => {
    const [open] = await db.query(
      `SELECT f.id, f.external_id FROM follow_ups f JOIN responses r ON r.id = f.response_id
       WHERE f.target_connection_id = $1 AND f.status = 'open' AND r.category = 'detractor' AND f.kind = 'detractor_call' ORDER BY f.created_at LIMIT 1`,
      [connectionId],
    );
    const before = (await request(service.url).get('/api/loop-closure').set(auth)).body.streams.relational.byCategory.detractor;
    crm.complete(sandbox, open.external_id);
    expect(await service.app.get(TaskReadback).read(connectionId)).toBe(1);
    const [closed] = await db.query(`SELECT status, completed_at FROM follow_ups WHERE id = $1`, [open.id]);
    expect(closed.status).toBe('completed');
    expect(closed.completed_at).not.toBeNull();
    // The next read starts at its cursor and changes nothing.
    expect(await service.app.get(TaskReadback).read(connectionId)).toBe(0);

    const after = (await request(service.url).get('/api/loop-closure').set(auth)).body.streams.relational;
    expect(after.byCategory.detractor.closed).toBe(before.closed + 1);
    expect(after.overall.closed).toBeGreaterThanOrEqual(1);
    expect(Object.keys(after.bySegment)).toEqual(['tier', 'arrBand', 'tenureBand', 'role']);
    const bad = await request(service.url).get('/api/loop-closure?from=2026-13-01').set(auth);
    expect([bad.status, bad.body.message]).toEqual([400, ['from: must be a date (YYYY-MM-DD)']]);
  });

  it('an outage while 100 responses settle: after recovery exactly 100 tasks and their fields, none twice', async () => {
    const people: Person[] = [];
    for (let i = 0; i < 100; i++) people.push(await person(false));
    const before = crm.tasks(sandbox).length;
    crm.outage(sandbox, true);
    const responses: string[] = [];
    for (const [i, who] of people.entries()) responses.push(await respond(who, 'quarterly', i % 11, `Outage ${i}`));
    const down = await deliver();
    expect(down).toMatchObject({ delivered: 0, failed: 0 });
    expect(down.retried).toBeGreaterThan(0);
    now += 10 * 60_000;
    expect(await deliver()).toMatchObject({ delivered: 0 }); // still inside the backoff, or still down
    expect(crm.tasks(sandbox).length).toBe(before);

    crm.outage(sandbox, false);
    now += 2 * HOUR;
    const up = await deliver();
    expect(up).toMatchObject({ failed: 0, retried: 0 });
    const tasks = crm.tasks(sandbox);
    expect(tasks.length - before).toBe(100);
    const rows = await db.query(`SELECT external_id FROM follow_ups WHERE response_id = ANY($1::uuid[])`, [responses]);
    expect(rows).toHaveLength(100);
    const ids = new Set(rows.map((r: { external_id: string }) => r.external_id));
    expect(ids.size).toBe(100);
    expect(tasks.filter((t) => ids.has(t.id))).toHaveLength(100);
    for (const { accountId, accountExternalId } of people.slice(0, 20)) {
      const [health] = await db.query(`SELECT round(relational_nps)::int AS nps, quadrant FROM account_health WHERE account_id = $1`, [accountId]);
      const fields = crm.fields(sandbox, 'account', accountExternalId);
      expect([fields[names.relationalNps], fields[names.healthQuadrant]]).toEqual([String(health.nps), health.quadrant]);
    }
    expect(await db.query(`SELECT status, count(*)::int AS n FROM outbox WHERE connection_id = $1 GROUP BY status`, [connectionId])).toEqual([
      { status: 'delivered', n: expect.any(Number) },
    ]);
  });

  it('a write the CRM refuses is kept with its words, not retried, and listed for the admin', async () => {
    expect(
      (
        await request(service.url)
          .put('/api/program')
          .set(auth)
          .send({ rules: { leadershipOwnerId: crm.unknownOwner } })
      ).status,
    ).toBe(200);
    try {
      const responseId = await respond(await person(true), 'quarterly', 1, 'Escalate me');
      expect(await deliver()).toMatchObject({ failed: 1 });
      const rows = await followUps(responseId);
      expect(rows.map((r) => [r.kind, r.status])).toEqual([
        ['detractor_call', 'open'],
        ['leadership_escalation', 'failed'],
      ]);
      now += 3 * HOUR;
      expect(await deliver()).toMatchObject({ delivered: 0, failed: 0, retried: 0, calls: 0 });
      const listed = await request(service.url).get('/api/write-backs?status=failed').set(auth);
      expect(listed.status).toBe(200);
      const [refused] = listed.body.failed;
      expect(refused).toMatchObject({ operation: 'crm.create_task', status: 'failed', attempts: 1, connectionId });
      expect(refused.lastError).toContain(crm.unknownOwner);
      expect(listed.body.summary).toContainEqual(expect.objectContaining({ connectionId, operation: 'crm.create_task', status: 'failed', count: 1 }));
    } finally {
      await request(service.url)
        .put('/api/program')
        .set(auth)
        .send({ rules: { leadershipOwnerId: leadership } });
    }
  });

  it('a create whose answer was lost is found in the CRM on the retry, not made twice', async () => {
    const target = await person(false);
    const before = crm.tasks(sandbox).length;
    const responseId = await respond(target, 'quarterly', 7, 'Lost answer');
    crm.failAfterWrite(sandbox, 1);
    const first = await deliver();
    expect(first.retried).toBeGreaterThanOrEqual(1);
    expect(crm.tasks(sandbox).length).toBe(before + 1); // made, though we never heard
    now += HOUR;
    await deliver();
    expect(crm.tasks(sandbox).length).toBe(before + 1);
    const [row] = await followUps(responseId);
    expect(row.status).toBe('open');
    expect(crm.tasks(sandbox).find((t) => t.id === row.external_id)?.subject).toBe(row.subject);
  });
});
