import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { startTestService, TestService } from './service';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CrmFixtures } from './crm-fixtures';

/** The clock of the report tests: every response below is inside the trailing 365 days. */
export const NOW = '2026-06-15T12:00:00.000Z';

type Stream = 'relational' | 'transactional';

export interface SettledRow {
  stream: Stream;
  score: number;
  settledAt: Date;
}

export interface ReportDataset {
  accounts: { a1: string; a2: string; a3: string; a4: string };
  contacts: Record<'dm1' | 'eu1' | 'eu2' | 'dm2' | 'eu3' | 'ad3', string>;
  /** Every settled response, as a straight computation would read them. */
  settled: SettledRow[];
}

const category = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');
const DAY = 86_400_000;

/**
 * Known responses for the report tests, written as the product stores them (a sent survey and its
 * response with the segment snapshot of rules §3). Accounts: A1 enterprise 200,000 (champion),
 * A2 smb 20,000 (friction), A3 mid 60,000 (no health yet), A4 100,000 with no responses.
 */
export async function loadReportDataset(db: DataSource, crm: CrmFixtures): Promise<ReportDataset> {
  const connection = await crm.connection();
  const a1 = await crm.account(connection, { arr: '200000.00', tier: 'enterprise' });
  const a2 = await crm.account(connection, { arr: '20000.00', tier: 'smb' });
  const a3 = await crm.account(connection, { arr: '60000.00', tier: 'mid' });
  const a4 = await crm.account(connection, { arr: '100000.00', tier: 'mid' });
  for (const [account, quadrant, sentiment] of [
    [a1, 'champion', 'promoter'],
    [a2, 'friction', 'detractor'],
  ]) {
    await db.query(`INSERT INTO account_health (account_id, sentiment, quadrant, activity, activity_basis) VALUES ($1, $2, $3, 'high', 'usage')`, [account, sentiment, quadrant]);
  }
  const contacts = {
    dm1: await crm.contact(connection, a1, { role: 'decision_maker' }),
    eu1: await crm.contact(connection, a1, { role: 'end_user' }),
    eu2: await crm.contact(connection, a1, { role: 'end_user' }),
    dm2: await crm.contact(connection, a2, { role: 'decision_maker' }),
    eu3: await crm.contact(connection, a2, { role: 'end_user' }),
    ad3: await crm.contact(connection, a3, { role: 'admin' }),
  };
  // The quadrant each account was in when its responses settled (rules §3 snapshot; the product stores it at settle).
  const snapshot: Record<string, { account: string; tier: string; arrBand: string; tenureBand: string | null; quadrant: string | null }> = {
    [a1]: { account: a1, tier: 'enterprise', arrBand: '100k_500k', tenureBand: '1_2y', quadrant: 'champion' },
    [a2]: { account: a2, tier: 'smb', arrBand: '10k_50k', tenureBand: 'over_2y', quadrant: 'friction' },
    [a3]: { account: a3, tier: 'mid', arrBand: '50k_100k', tenureBand: null, quadrant: null },
  };
  const accountOf: Record<keyof typeof contacts, string> = { dm1: a1, eu1: a1, eu2: a1, dm2: a2, eu3: a2, ad3: a3 };
  const roleOf: Record<keyof typeof contacts, string> = {
    dm1: 'decision_maker',
    eu1: 'end_user',
    eu2: 'end_user',
    dm2: 'decision_maker',
    eu3: 'end_user',
    ad3: 'admin',
  };
  const stream = (trigger: string): Stream => (trigger === 'ticket_solved' ? 'transactional' : 'relational');

  const survey = async (trigger: string, fields: { status: string; sentAt?: Date; scheduledAt?: Date; skipReason?: string; contact?: string }) => {
    const [row] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, skip_reason, scheduled_at, sent_at, contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        stream(trigger),
        trigger,
        randomUUID(),
        `${randomUUID().slice(0, 8)}@customer.example`,
        fields.status,
        fields.skipReason ?? null,
        fields.scheduledAt ?? fields.sentAt,
        fields.sentAt ?? null,
        fields.contact ?? null,
      ],
    );
    return row.id as string;
  };

  const settled: SettledRow[] = [];
  const answer = async (who: keyof typeof contacts, trigger: string, score: number, day: string, themes: string[] = [], settledOn: 'settled' | 'open' = 'settled') => {
    const at = new Date(`${day}T10:00:00.000Z`);
    const surveyId = await survey(trigger, { status: 'answered', sentAt: new Date(at.getTime() - DAY), contact: contacts[who] });
    const s = snapshot[accountOf[who]];
    await db.query(
      `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, themes, role_snapshot, tier_snapshot,
                              arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot, first_answered_at, last_changed_at, settled_at, quadrant_snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)`,
      [
        surveyId,
        stream(trigger),
        trigger,
        contacts[who],
        s.account,
        score,
        category(score),
        themes,
        roleOf[who],
        s.tier,
        s.arrBand,
        s.tenureBand,
        s.tier === 'enterprise',
        at,
        settledOn === 'settled' ? at : null,
        s.quadrant,
      ],
    );
    if (settledOn === 'settled') settled.push({ stream: stream(trigger), score, settledAt: at });
  };

  // relational
  await answer('dm1', 'quarterly', 10, '2026-01-10');
  await answer('eu1', 'quarterly', 6, '2026-02-05', ['performance']);
  await answer('dm2', 'quarterly', 9, '2026-02-20');
  await answer('ad3', 'quarterly', 7, '2026-03-01');
  await answer('dm1', 'pre_renewal', 9, '2026-04-10');
  await answer('eu1', 'quarterly', 3, '2026-05-02', ['performance', 'pricing']);
  await answer('eu2', 'quarterly', 5, '2026-05-03', ['performance']);
  await answer('eu3', 'quarterly', 10, '2026-05-20');
  await answer('dm2', 'quarterly', 9, '2026-06-01', ['pricing']);
  // still open to change (not settled): counts in no NPS, but it is a response to a sent survey
  await answer('dm1', 'quarterly', 0, '2026-06-14', [], 'open');
  // transactional
  await answer('eu1', 'ticket_solved', 10, '2026-01-15', ['support_quality']);
  await answer('eu3', 'ticket_solved', 2, '2026-05-10', ['performance', 'support_quality']);
  await answer('ad3', 'ticket_solved', 8, '2026-06-10');
  // sent and never answered
  await survey('quarterly', { status: 'sent', sentAt: new Date('2026-05-01T09:00:00Z') });
  await survey('quarterly', { status: 'sent', sentAt: new Date('2026-05-01T09:30:00Z') });
  await survey('ticket_solved', { status: 'sent', sentAt: new Date('2026-05-05T09:00:00Z') });
  // skipped or cancelled, with their reasons
  await survey('quarterly', { status: 'skipped', skipReason: 'suppressed', scheduledAt: new Date('2026-04-01T09:00:00Z') });
  await survey('quarterly', { status: 'skipped', skipReason: 'suppressed', scheduledAt: new Date('2026-04-01T09:00:00Z') });
  await survey('quarterly', { status: 'cancelled', skipReason: 'opted_out', scheduledAt: new Date('2026-06-01T09:00:00Z') });
  await survey('ticket_solved', { status: 'skipped', skipReason: 'too_late', scheduledAt: new Date('2026-05-01T09:00:00Z') });
  return { accounts: { a1, a2, a3, a4 }, contacts, settled };
}

/** rules §1 adjusted-Wald on (possibly effective) counts, written out here so the reports are checked against the formula, not against libs/nps. */
export function wald(P: number, D: number, n: number) {
  const m = n + 3;
  const p = (P + 0.75) / m;
  const d = (D + 0.75) / m;
  const adjusted = 100 * (p - d);
  const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / m);
  return { adjusted, se, low: Math.max(-100, adjusted - 1.96 * se), high: Math.min(100, adjusted + 1.96 * se) };
}

/** The api on a fresh database with the known dataset loaded, its clock at NOW, and an admin key. */
export async function startReportService(): Promise<{ service: TestService; auth: Record<string, string>; data: ReportDataset }> {
  const service = await startTestService({ api: true, worker: false, sandbox: false });
  const clock: Clock = service.app.get(CLOCK);
  clock.now = () => new Date(NOW);
  const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('reports', 'test')).key}` };
  const data = await loadReportDataset(service.app.get(DataSource), new CrmFixtures(service.app.get(DataSource)));
  return { service, auth, data };
}
