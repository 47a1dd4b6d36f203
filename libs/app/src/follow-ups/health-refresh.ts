import { EntityManager } from 'typeorm';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { accountHealth, HealthResponse, ProgramSettings, Role } from '@libs/nps/src';
import { accountFieldValues, changedFields, contactFieldValues, LatestResponse, npsFieldNames } from './crm-fields';

interface AccountRow {
  id: string;
  external_id: string;
  connection_id: string;
  kind: string;
  settings: Record<string, unknown>;
  usage_score: string | null;
  crm_fields: Record<string, unknown> | null;
}

/**
 * rules §7 and §8 on the caller's transaction: recomputes accounts' health and contacts' latest
 * scores, stores them, and queues the CRM field values that changed since they were last
 * queued (merged into a pending update of the same record when there is one).
 */
export class HealthRefresh {
  constructor(
    private readonly db: EntityManager,
    private readonly rules: ProgramSettings,
    private readonly now: Date,
  ) {}

  async accounts(accountIds: readonly string[]): Promise<number> {
    if (accountIds.length === 0) return 0;
    const accounts: AccountRow[] = await this.db.query(
      `SELECT a.id, a.external_id, a.connection_id, c.kind, c.settings, a.usage_score::text, h.crm_fields
       FROM accounts a JOIN connections c ON c.id = a.connection_id
       LEFT JOIN account_health h ON h.account_id = a.id
       WHERE a.id = ANY($1::uuid[]) AND a.deleted_at IS NULL AND c.deleted_at IS NULL
       ORDER BY a.id FOR UPDATE OF a`,
      [accountIds],
    );
    if (accounts.length === 0) return 0;
    const windowStart = new Date(this.now.getTime() - this.rules.sentimentWindowDays * 86_400_000);
    const responses: Array<{ account_id: string; contact_id: string; role: Role; score: number; at: Date }> = await this.db.query(
      `SELECT account_id, contact_id, coalesce(role_snapshot, 'other') AS role, score, settled_at AS at
       FROM responses WHERE account_id = ANY($1::uuid[]) AND stream = 'relational' AND settled_at IS NOT NULL
         AND contact_id IS NOT NULL AND settled_at BETWEEN $2 AND $3`,
      [accounts.map((a) => a.id), windowStart, this.now],
    );
    const snapshots: Array<{ account_id: string; arr: string; at: Date }> = await this.db.query(
      // rules §7: the CRM's own field history where it keeps one for the account, else our sync snapshots.
      `SELECT s.account_id, s.arr::text, s.captured_at AS at FROM arr_snapshots s
       WHERE s.account_id = ANY($1::uuid[])
         AND (s.source = 'crm' OR NOT EXISTS (SELECT 1 FROM arr_snapshots c WHERE c.account_id = s.account_id AND c.source = 'crm'))
       ORDER BY s.captured_at`,
      [accounts.map((a) => a.id)],
    );
    const outbox = new OutboxRepository(this.db);
    let queued = 0;
    for (const account of accounts) {
      const mine = responses.filter((r) => r.account_id === account.id);
      const health = accountHealth(
        {
          responses: mine.map((r): HealthResponse => ({ stream: 'relational', contactId: r.contact_id, role: r.role, score: r.score, respondedAt: new Date(r.at) })),
          usage: account.usage_score === null ? null : Number(account.usage_score),
          arrSnapshots: snapshots.filter((s) => s.account_id === account.id).map((s) => ({ at: new Date(s.at), arr: s.arr })),
          now: this.now,
        },
        this.rules,
      );
      const last = mine.reduce<Date | null>((max, r) => (max === null || new Date(r.at) > max ? new Date(r.at) : max), null);
      const lastDate = last ? last.toISOString().slice(0, 10) : null;
      const names = npsFieldNames(account.kind, account.settings);
      const changed = names ? changedFields(accountFieldValues(health, mine.length, lastDate), names, account.crm_fields ?? {}) : {};
      if (Object.keys(changed).length > 0) {
        await outbox.enqueueFieldUpdate(account.connection_id, 'account', account.external_id, changed, this.now);
        queued++;
      }
      await this.db.query(
        `INSERT INTO account_health (account_id, sentiment, quadrant, relational_nps, decision_maker_nps, end_user_nps, role_gap,
                                     role_gap_flagged, responses_12m, last_response_date, activity, activity_basis, computed_at, crm_fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (account_id) DO UPDATE SET sentiment = excluded.sentiment, quadrant = excluded.quadrant,
           relational_nps = excluded.relational_nps, decision_maker_nps = excluded.decision_maker_nps, end_user_nps = excluded.end_user_nps,
           role_gap = excluded.role_gap, role_gap_flagged = excluded.role_gap_flagged, responses_12m = excluded.responses_12m,
           last_response_date = excluded.last_response_date, activity = excluded.activity, activity_basis = excluded.activity_basis,
           computed_at = excluded.computed_at, crm_fields = account_health.crm_fields || excluded.crm_fields`,
        [
          account.id,
          health.sentiment?.category ?? null,
          health.quadrant,
          health.nps.overall.nps,
          health.nps.byRole.decision_maker.nps,
          health.nps.byRole.end_user.nps,
          health.roleGap.gap,
          health.roleGap.flagged,
          mine.length,
          lastDate,
          health.activity.level,
          health.activity.basis,
          this.now,
          JSON.stringify(changed),
        ],
      );
    }
    return queued;
  }

  async contacts(contactIds: readonly string[]): Promise<number> {
    if (contactIds.length === 0) return 0;
    const rows: Array<{
      id: string;
      external_id: string;
      connection_id: string;
      kind: string;
      settings: Record<string, unknown>;
      crm_nps_fields: Record<string, unknown>;
      stream: 'relational' | 'transactional' | null;
      score: number | null;
      category: string | null;
      comment: string | null;
      at: Date | null;
    }> = await this.db.query(
      `SELECT c.id, c.external_id, c.connection_id, k.kind, k.settings, c.crm_nps_fields, r.stream, r.score, r.category, r.comment, r.settled_at AS at
       FROM contacts c JOIN connections k ON k.id = c.connection_id
       LEFT JOIN LATERAL (
         SELECT DISTINCT ON (stream) stream, score, category, comment, settled_at FROM responses
         WHERE contact_id = c.id AND settled_at IS NOT NULL ORDER BY stream, settled_at DESC
       ) r ON true
       WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL AND k.deleted_at IS NULL`,
      [contactIds],
    );
    const outbox = new OutboxRepository(this.db);
    let queued = 0;
    for (const id of new Set(rows.map((r) => r.id))) {
      const mine = rows.filter((r) => r.id === id);
      const latest = (stream: string): LatestResponse | null => {
        const r = mine.find((x) => x.stream === stream);
        return r && r.score !== null ? { score: r.score, category: r.category!, date: new Date(r.at!).toISOString().slice(0, 10), comment: r.comment } : null;
      };
      const contact = mine[0];
      const names = npsFieldNames(contact.kind, contact.settings);
      if (!names) continue;
      const changed = changedFields(contactFieldValues(latest('relational'), latest('transactional')), names, contact.crm_nps_fields);
      if (Object.keys(changed).length === 0) continue;
      await outbox.enqueueFieldUpdate(contact.connection_id, 'contact', contact.external_id, changed, this.now);
      await this.db.query(`UPDATE contacts SET crm_nps_fields = crm_nps_fields || $2::jsonb WHERE id = $1`, [id, JSON.stringify(changed)]);
      queued++;
    }
    return queued;
  }
}
