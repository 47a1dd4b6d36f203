import { randomRoles } from './sandbox-data';
import { Random, Row, SandboxStore } from './sandbox-store';

/** Changes to make in one step; every touched row gets one new SystemModstamp, later than all before. */
export interface SandboxChanges {
  /** New ARR on N accounts. */
  changeAccounts?: number;
  /** New last name on N contacts. */
  changeContacts?: number;
  /** Different Roles on N active relations. */
  changeRoles?: number;
  /** IsActive = false on N active indirect relations (a direct relation cannot be deactivated). */
  deactivateRelations?: number;
  /** Soft deletes (IsDeleted = true, visible to queryAll only). No cascade to children. */
  deleteAccounts?: number;
  deleteContacts?: number;
  deleteRelations?: number;
}

/** The ids each change touched; no row is touched twice in one step. */
export interface ChangeResult {
  changedAccounts: string[];
  changedContacts: string[];
  changedRoles: string[];
  deactivatedRelations: string[];
  deletedAccounts: string[];
  deletedContacts: string[];
  deletedRelations: string[];
}

const SURNAMES = ['Ashford', 'Blake', 'Castillo', 'Dubois', 'Engel', 'Ferreira', 'Gupta', 'Hansen', 'Ito', 'Jovanovic'];

export class OrgChanges {
  constructor(
    private readonly store: SandboxStore,
    private readonly random: Random,
  ) {}

  /** N distinct live rows of an object that pass `eligible` and were not touched yet, picked by the seed. */
  private pick(object: string, n: number, touched: Set<Row>, eligible: (row: Row) => boolean = () => true): Row[] {
    if (!Number.isInteger(n) || n < 0) throw new Error(`${object}: a count must be a whole number ≥ 0 (got ${n})`);
    const pool = this.store.rows(object).filter((row) => !row.IsDeleted && !touched.has(row) && eligible(row));
    if (pool.length < n) throw new Error(`${object}: asked to change ${n} rows but only ${pool.length} qualify`);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.random.next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const chosen = pool.slice(0, n);
    chosen.forEach((row) => touched.add(row));
    return chosen;
  }

  apply(changes: SandboxChanges): ChangeResult {
    const stamp = this.store.nextStamp();
    const touched = new Set<Row>();
    const touch = (rows: Row[], edit: (row: Row) => void) =>
      rows.map((row) => {
        edit(row);
        row.SystemModstamp = stamp;
        return row.Id;
      });
    const random = this.random;
    return {
      changedAccounts: touch(this.pick('Account', changes.changeAccounts ?? 0, touched), (row) => {
        const cents = typeof row.ARR__c === 'number' ? Math.round(row.ARR__c * 100) : 1_000_000;
        row.ARR__c = Math.max(100, Math.round((cents * random.int(80, 130)) / 100)) / 100;
      }),
      changedContacts: touch(this.pick('Contact', changes.changeContacts ?? 0, touched), (row) => {
        const others = SURNAMES.filter((s) => s !== row.LastName);
        row.LastName = random.pick(others);
        row.Name = `${String(row.FirstName)} ${String(row.LastName)}`;
      }),
      changedRoles: touch(
        this.pick('AccountContactRelation', changes.changeRoles ?? 0, touched, (r) => r.IsActive === true),
        (row) => {
          let roles = randomRoles(random);
          if (roles === row.Roles) roles = row.Roles === 'Decision Maker;Economic Buyer' ? 'Business User' : 'Decision Maker;Economic Buyer';
          row.Roles = roles;
        },
      ),
      deactivatedRelations: touch(
        this.pick('AccountContactRelation', changes.deactivateRelations ?? 0, touched, (r) => r.IsActive === true && r.IsDirect === false),
        (row) => {
          row.IsActive = false;
          row.EndDate = new Date(stamp).toISOString().slice(0, 10);
        },
      ),
      deletedAccounts: touch(this.pick('Account', changes.deleteAccounts ?? 0, touched), (row) => (row.IsDeleted = true)),
      deletedContacts: touch(this.pick('Contact', changes.deleteContacts ?? 0, touched), (row) => (row.IsDeleted = true)),
      deletedRelations: touch(this.pick('AccountContactRelation', changes.deleteRelations ?? 0, touched), (row) => (row.IsDeleted = true)),
    };
  }
}
