import { ObjectSchema } from './sandbox-schema';

/**
 * One row as the sandbox keeps it: field values by API name, datetimes as epoch ms (so filters
 * and sorts compare numbers), dates as YYYY-MM-DD, currency as JSON numbers.
 */
export type Row = { Id: string; SystemModstamp: number; IsDeleted?: boolean } & Record<string, unknown>;

/** Live (non-deleted) rows per object. */
export interface SandboxCounts {
  User: number;
  Account: number;
  Contact: number;
  AccountContactRelation: number;
  /** Non-deleted relations with IsActive = false: the connector reads them as deletions. */
  InactiveAccountContactRelation: number;
  Contract: number;
  /** Field history rows (tracked changes and 'created'). */
  AccountHistory: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so a seed always builds the same org. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/**
 * The org's tables in plain arrays with an id index and a child index per reference field:
 * 20,000 accounts and 60,000 contacts fit in a few tens of MB, and a query page is built from
 * row references only when asked for.
 */
export class SandboxStore {
  private readonly tables = new Map<string, Row[]>();
  private readonly byId = new Map<string, Row>();
  /** "Object.Field" → parent id → child rows. */
  private readonly children = new Map<string, Map<string, Row[]>>();
  private readonly tableCache = new Map<string, { rows: Row[]; references: { field: string; index: Map<string, Row[]> }[] }>();
  private latestStamp = 0;

  constructor(readonly schema: Map<string, ObjectSchema>) {
    for (const object of schema.values()) this.tables.set(object.name, []);
  }

  objectSchema(name: string): ObjectSchema | undefined {
    return this.schema.get(name.toLowerCase());
  }

  insert(object: string, row: Row): Row {
    const table = this.tableOf(object);
    table.rows.push(row);
    this.byId.set(row.Id, row);
    for (const { field, index } of table.references) {
      const parentId = row[field];
      if (typeof parentId !== 'string') continue;
      const siblings = index.get(parentId);
      if (siblings) siblings.push(row);
      else index.set(parentId, [row]);
    }
    this.latestStamp = Math.max(this.latestStamp, row.SystemModstamp);
    return row;
  }

  /** The table and its reference indexes, looked up once per object name. */
  private tableOf(object: string): { rows: Row[]; references: { field: string; index: Map<string, Row[]> }[] } {
    const cached = this.tableCache.get(object);
    if (cached) return cached;
    const schema = this.objectSchema(object);
    if (!schema) throw new Error(`no object ${object}`);
    const references = schema.fields
      .filter((f) => f.type === 'reference')
      .map((f) => {
        const key = `${schema.name}.${f.name}`;
        const index = this.children.get(key) ?? new Map<string, Row[]>();
        this.children.set(key, index);
        return { field: f.name, index };
      });
    const table = { rows: this.tables.get(schema.name)!, references };
    this.tableCache.set(object, table);
    return table;
  }

  rows(object: string): Row[] {
    return this.tables.get(object) ?? [];
  }

  get(id: string): Row | undefined {
    return this.byId.get(id);
  }

  childrenOf(object: string, field: string, parentId: string): Row[] {
    return this.children.get(`${object}.${field}`)?.get(parentId) ?? [];
  }

  /**
   * A SystemModstamp strictly later than every one so far, in whole seconds like Salesforce's,
   * and never behind the wall clock, so an incremental read after a mutation always sees it.
   */
  nextStamp(): number {
    const now = Math.floor(Date.now() / 1000) * 1000;
    this.latestStamp = Math.max(now, this.latestStamp + 1000);
    return this.latestStamp;
  }

  counts(): SandboxCounts {
    const live = (object: string) => this.rows(object).filter((r) => !r.IsDeleted);
    const relations = live('AccountContactRelation');
    return {
      User: live('User').length,
      Account: live('Account').length,
      Contact: live('Contact').length,
      AccountContactRelation: relations.length,
      InactiveAccountContactRelation: relations.filter((r) => r.IsActive === false).length,
      Contract: live('Contract').length,
      AccountHistory: live('AccountHistory').length,
    };
  }
}
