import { IsOptional, IsString } from 'class-validator';
import {
  ApiUsage,
  ConnectionTestResult,
  CrmConnector,
  CrmConnectorFactory,
  CrmPage,
  CrmRecordByStream,
  CrmStream,
  CrmTaskMatch,
  CrmTaskState,
  CrmWriteResult,
  FieldSetupResult,
  NPS_ACCOUNT_FIELDS,
  NPS_CONTACT_FIELDS,
  ReadOptions,
  VendorError,
} from '@connectors/core/src';

/**
 * An in-memory CRM for engine tests: records with modification times, pages of a fixed size,
 * ordered by modification time on incremental reads like the real vendors, deletions kept.
 */
export class ScriptedCrmData {
  clock = Date.parse('2026-01-01T00:00:00Z');
  readonly rows: { [S in CrmStream]: Map<string, CrmRecordByStream[S] & { deleted?: boolean }> } = {
    owners: new Map(),
    accounts: new Map(),
    contacts: new Map(),
    contact_roles: new Map(),
  };
  pageSize = 3;
  /** Runs before each page is handed over (with the number of pages served so far): a test's moment to act mid-sync. */
  beforePage: ((served: number) => Promise<void> | void) | undefined = undefined;
  calls = 0;
  rejectCredentials: string | undefined = undefined;
  usage: ApiUsage | undefined = undefined;
  /** Throws this after N pages of any stream, once (a crash mid-sync). */
  failAfterPages: number | undefined = undefined;

  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  put<S extends CrmStream>(stream: S, record: Omit<CrmRecordByStream[S], 'modifiedAt'> & Partial<{ modifiedAt: string }>): void {
    const withTime = { ...record, modifiedAt: this.tick() } as unknown as CrmRecordByStream[S];
    (this.rows[stream] as Map<string, CrmRecordByStream[S]>).set(record.externalId, withTime);
  }

  remove(stream: CrmStream, externalId: string): void {
    const row = this.rows[stream].get(externalId);
    if (row) Object.assign(row, { deleted: true, modifiedAt: this.tick() });
  }

  live(stream: CrmStream): string[] {
    return [...this.rows[stream].values()]
      .filter((r) => !r.deleted)
      .map((r) => r.externalId)
      .sort();
  }
}

class ScriptedCrm implements CrmConnector {
  private pagesServed = 0;
  constructor(private readonly data: ScriptedCrmData) {}

  /** The sync engine's double reads only; a write here is a test mistake, so it says so. */
  private refuseWrite(): never {
    throw new Error('ScriptedCrm only reads: write-back tests use the vendor sandboxes');
  }
  createTasks(): Promise<CrmWriteResult[]> {
    return this.refuseWrite();
  }
  updateRecords(): Promise<CrmWriteResult[]> {
    return this.refuseWrite();
  }
  readTasks(): AsyncIterable<CrmTaskState[]> {
    return this.refuseWrite();
  }
  findTasksCreatedSince(): AsyncIterable<CrmTaskMatch[]> {
    return this.refuseWrite();
  }
  ensureFields(): Promise<FieldSetupResult> {
    return this.refuseWrite();
  }

  async testConnection(): Promise<ConnectionTestResult> {
    this.data.calls++;
    if (this.data.rejectCredentials) return { ok: false, authenticated: false, message: this.data.rejectCredentials, missingFields: [] };
    return { ok: true, authenticated: true, message: null, missingFields: [] };
  }

  async *read<S extends CrmStream>(stream: S, options: ReadOptions): AsyncIterable<CrmPage<S>> {
    this.data.calls++;
    if (this.data.rejectCredentials) throw new VendorError('scripted', 'auth', this.data.rejectCredentials, { status: 401 });
    const all = [...this.data.rows[stream].values()] as Array<CrmRecordByStream[S] & { deleted?: boolean; modifiedAt?: string }>;
    const rows =
      options.since === null ? all.filter((r) => !r.deleted) : all.filter((r) => (r.modifiedAt ?? '') >= options.since!).sort((a, b) => (a.modifiedAt! < b.modifiedAt! ? -1 : 1));
    let cursor: string | null = options.since;
    for (let i = 0; i === 0 || i < rows.length; i += this.data.pageSize) {
      const slice = rows.slice(i, i + this.data.pageSize);
      for (const r of slice) if (!cursor || r.modifiedAt! > cursor) cursor = r.modifiedAt!;
      if (this.data.failAfterPages !== undefined && this.pagesServed >= this.data.failAfterPages) {
        this.data.failAfterPages = undefined;
        throw new VendorError('scripted', 'unavailable', 'connection reset mid-sync', { status: 503 });
      }
      await this.data.beforePage?.(this.pagesServed);
      this.pagesServed++;
      if (i > 0) this.data.calls++;
      yield {
        stream,
        upserts: slice.filter((r) => !r.deleted).map(({ deleted: _d, ...r }) => r as CrmRecordByStream[S]),
        deletions: slice.filter((r) => r.deleted).map((r) => r.externalId),
        cursor,
        total: rows.length,
      };
    }
  }

  apiCalls(): number {
    return this.data.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.data.usage;
  }
}

class ScriptedCredentials {
  @IsString() token: string;
}

class ScriptedSettings {
  @IsOptional() roleMapping?: Record<string, string>;
  @IsOptional() dailyBudgetShare?: number;
}

export function scriptedCrmFactory(data: ScriptedCrmData): CrmConnectorFactory {
  return {
    kind: 'scripted',
    role: 'crm',
    label: 'Scripted CRM',
    credentialsClass: ScriptedCredentials,
    settingsClass: ScriptedSettings,
    withDefaults: (s) => ({ dailyBudgetShare: 0.5, ...(s ?? {}) }),
    create: () => new ScriptedCrm(data),
    npsFieldNames: Object.fromEntries([...NPS_ACCOUNT_FIELDS, ...NPS_CONTACT_FIELDS].map((f) => [f, `scripted_${f}`])) as CrmConnectorFactory['npsFieldNames'],
  };
}
