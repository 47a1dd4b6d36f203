import { EntityManager } from 'typeorm';
import { AccountHealthRecord, AccountHealthRepository } from '@libs/db/src/repositories/account-health.repository';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ArrSnapshotsRepository } from '@libs/db/src/repositories/arr-snapshots.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { accountHealth, HealthResponse, ProgramSettings } from '@libs/nps/src';
import { groupBy } from '../group-by';
import { accountFieldValues, changedFields, contactFieldValues, LatestResponse, npsFieldNames } from './crm-fields';

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
    const records = new AccountsRepository(this.db);
    await records.lockHealthRefreshOf(accountIds);
    const accounts = await records.forHealthRefresh(accountIds);
    if (accounts.length === 0) return 0;
    const windowStart = new Date(this.now.getTime() - this.rules.sentimentWindowDays * 86_400_000);
    const responses = await new ResponsesRepository(this.db).relationalAnswersOf(
      accounts.map((a) => a.id),
      windowStart,
      this.now,
    );
    // rules §7: the CRM's own field history where it keeps one for the account, else our sync snapshots.
    const snapshots = await new ArrSnapshotsRepository(this.db).trendOf(accounts.map((a) => a.id));
    const outbox = new OutboxRepository(this.db);
    const responsesOf = groupBy(responses, (r) => r.account_id);
    const snapshotsOf = groupBy(snapshots, (s) => s.account_id);
    const stored: AccountHealthRecord[] = [];
    let queued = 0;
    for (const account of accounts) {
      const mine = responsesOf.get(account.id) ?? [];
      const health = accountHealth(
        {
          responses: mine.map((r): HealthResponse => ({ stream: 'relational', contactId: r.contact_id, role: r.role, score: r.score, respondedAt: new Date(r.at) })),
          usage: account.usage_score === null ? null : Number(account.usage_score),
          arrSnapshots: (snapshotsOf.get(account.id) ?? []).map((s) => ({ at: new Date(s.at), arr: s.arr })),
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
      stored.push({
        accountId: account.id,
        sentiment: health.sentiment?.category ?? null,
        quadrant: health.quadrant,
        relationalNps: health.nps.overall.nps,
        decisionMakerNps: health.nps.byRole.decision_maker.nps,
        endUserNps: health.nps.byRole.end_user.nps,
        roleGap: health.roleGap.gap,
        roleGapFlagged: health.roleGap.flagged,
        responses12m: mine.length,
        lastResponseDate: lastDate,
        activity: health.activity.level,
        activityBasis: health.activity.basis,
        computedAt: this.now,
        queuedCrmFields: changed,
      });
    }
    // One statement for the chunk: the quadrant totals' triggers run once, not once per account.
    await new AccountHealthRepository(this.db).storeAll(stored);
    return queued;
  }

  async contacts(contactIds: readonly string[]): Promise<number> {
    if (contactIds.length === 0) return 0;
    const contactRows = new ContactsRepository(this.db);
    const rows = await contactRows.latestScores(contactIds);
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
      await contactRows.recordQueuedNpsFields(id, changed);
      queued++;
    }
    return queued;
  }
}
