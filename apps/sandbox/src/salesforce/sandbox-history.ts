import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { Random, Row, SandboxStore } from './sandbox-store';

const DAY = 86_400_000;

/**
 * Field history tracking on Account, as the org keeps it: every change of a tracked field adds an
 * AccountHistory row (Field, OldValue, NewValue, CreatedDate), and an account created while
 * tracking was on has a 'created' row. Untracked fields leave no trace, so an org without
 * tracking on the ARR field answers AccountHistory queries with no rows for it.
 */
export class AccountFieldHistory {
  private seq = 0;
  private readonly tracked: Set<string>;

  constructor(
    private readonly store: SandboxStore,
    trackedFields: readonly string[],
  ) {
    this.tracked = new Set(trackedFields.map((f) => f.toLowerCase()));
  }

  tracks(field: string): boolean {
    return this.tracked.has(field.toLowerCase());
  }

  /** A change of `field` on `account` at `at` (epoch ms); nothing when the field is not tracked. */
  recordChange(account: Row, field: string, oldValue: unknown, newValue: unknown, at: number): void {
    if (!this.tracks(field) || oldValue === newValue) return;
    this.insert(account.Id, field, oldValue ?? null, newValue ?? null, at);
  }

  recordCreated(account: Row, at: number): void {
    if (this.tracked.size > 0) this.insert(account.Id, 'created', null, null, at);
  }

  /**
   * Past ARR for the generated accounts (own random source, so the rest of the org is the same
   * for a seed with or without history): most accounts were created 200–700 days ago with
   * tracking on and changed ARR 1–3 times since (one in ten never); about 8 % are newer than 180
   * days; about 12 % predate tracking and never changed since, so they have no history at all
   * (their activity reads "unknown" in demos). The last change is the current ARR__c.
   */
  generate(random: Random, now: number, arrField = 'ARR__c'): void {
    if (!this.tracks(arrField)) return;
    for (const account of this.store.rows('Account')) {
      const current = account[arrField];
      if (typeof current !== 'number' || random.chance(0.12)) continue;
      const createdAt = now - (random.chance(0.08) ? random.int(20, 170) : random.int(200, 700)) * DAY;
      const changes = random.chance(0.1) ? 0 : random.int(1, 3);
      const times: number[] = [];
      for (let i = 0; i < changes; i++) times.push(random.int(createdAt + DAY, now - DAY));
      times.sort((a, b) => a - b);
      // Walk back from today's value: each change grew (or shrank) the ARR by −20 … +30 %.
      const values = [current];
      for (let i = 0; i < changes; i++) {
        const later = values[0];
        values.unshift(Math.max(100, Math.round((later * 100) / random.int(80, 130))));
      }
      this.recordCreated(account, Math.floor(createdAt / 1000) * 1000);
      times.forEach((at, i) => this.recordChange(account, arrField, values[i], values[i + 1], Math.floor(at / 1000) * 1000));
      // An ARR change moves the account's own stamp.
      if (times.length > 0) account.SystemModstamp = Math.max(account.SystemModstamp, Math.floor(times[times.length - 1] / 1000) * 1000);
    }
  }

  private insert(accountId: string, field: string, oldValue: unknown, newValue: unknown, at: number): void {
    // Rows restored from a saved org carry ids 1..n already (history rows are never removed).
    this.seq = Math.max(this.seq, this.store.rows('AccountHistory').length);
    this.store.insert('AccountHistory', {
      Id: salesforceId(KEY_PREFIX.AccountHistory, ++this.seq),
      IsDeleted: false,
      AccountId: accountId,
      Field: field,
      OldValue: oldValue,
      NewValue: newValue,
      CreatedDate: at,
      // Not a field of AccountHistory (describe and SOQL do not show it): only the store's clock.
      SystemModstamp: at,
    });
  }
}
