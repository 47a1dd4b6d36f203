import { randomRoles } from './sandbox-data';
import { AccountFieldHistory } from './sandbox-history';
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
  /**
   * Contract changes, as a renewal does them: the contract gets a new SystemModstamp, its
   * account does not (Salesforce help 000387261). Extend: an Activated contract's EndDate and
   * ContractTerm move 12 months on. Activate: a Draft renewal becomes Activated.
   */
  extendContracts?: number;
  activateContracts?: number;
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
  extendedContracts: string[];
  activatedContracts: string[];
}

const SURNAMES = ['Ashford', 'Blake', 'Castillo', 'Dubois', 'Engel', 'Ferreira', 'Gupta', 'Hansen', 'Ito', 'Jovanovic'];

export class OrgChanges {
  constructor(
    private readonly store: SandboxStore,
    private readonly random: Random,
    private readonly history?: AccountFieldHistory,
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

  private liveAccount(contract: Row): boolean {
    const account = this.store.get(String(contract.AccountId));
    return account !== undefined && !account.IsDeleted;
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
        const before = row.ARR__c;
        const cents = typeof before === 'number' ? Math.round(before * 100) : 1_000_000;
        row.ARR__c = Math.max(100, Math.round((cents * random.int(80, 130)) / 100)) / 100;
        this.history?.recordChange(row, 'ARR__c', before, row.ARR__c, stamp);
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
      extendedContracts: touch(
        this.pick('Contract', changes.extendContracts ?? 0, touched, (r) => r.Status === 'Activated' && this.liveAccount(r)),
        (row) => {
          row.EndDate = addYear(String(row.EndDate));
          row.ContractTerm = Number(row.ContractTerm ?? 0) + 12;
        },
      ),
      activatedContracts: touch(
        this.pick('Contract', changes.activateContracts ?? 0, touched, (r) => r.Status === 'Draft' && this.liveAccount(r)),
        (row) => (row.Status = 'Activated'),
      ),
    };
  }
}

/** The same day a year later (29 February becomes 28 February). */
function addYear(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCDate() !== d) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}
