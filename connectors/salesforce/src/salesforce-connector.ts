import {
  ApiUsage,
  ArrHistoryScope,
  ConnectionTestResult,
  ConnectorContext,
  CrmConnector,
  CrmArrPoint,
  CrmFieldInfo,
  CrmFieldSpec,
  CrmObject,
  CrmPage,
  CrmRecordByStream,
  CrmRecordUpdate,
  CrmStream,
  CrmTaskInput,
  CrmTaskMatch,
  CrmTaskState,
  CrmWriteResult,
  FieldSetupResult,
  paginate,
  ReadOptions,
  VendorError,
} from '@connectors/core/src';
import { readArrHistory } from './arr-history';
import { describeMissing, DescribeResult, expectedFields, findMissingFields, isMissingObject, objectsToDescribe } from './connection-check';
import { accountsByIdUrls, accountsWithChangedContracts } from './contract-changes';
import { mapAccount } from './map-account';
import { mapContactRole } from './map-contact-role';
import { mapContact } from './map-contact';
import { DescribedFieldJson, mapField } from './map-field';
import { mapOwner } from './map-owner';
import { MappedRow } from './mapped-row';
import { QueryResponse, SalesforceClient } from './salesforce-client';
import { SalesforceCredentials } from './salesforce-credentials';
import { SalesforceFieldSetup } from './salesforce-fields';
import { SalesforceSettings, SalesforceSettingsInput, withDefaults } from './salesforce-settings';
import { soqlDateTime, streamQuery } from './salesforce-soql';
import { SalesforceRecord } from './salesforce-values';
import { SalesforceWrites } from './salesforce-writes';

type RowMapper<S extends CrmStream> = (raw: SalesforceRecord) => MappedRow<CrmRecordByStream[S]>;

/**
 * The Salesforce CRM connector: reads User, Account, Contact and AccountContactRelation with
 * SOQL, 2,000 rows a page, following nextRecordsUrl to the end (never jsforce autoFetch, whose
 * maxFetch stops at 10,000 rows). Full reads use /query; incremental reads use /queryAll so
 * soft-deleted rows arrive as deletions in the same calls.
 */
export class SalesforceConnector implements CrmConnector {
  readonly settings: SalesforceSettings;
  private readonly client: SalesforceClient;
  private readonly writes: SalesforceWrites;
  private readonly fields: SalesforceFieldSetup;
  private readonly mappers: { [K in CrmStream]: RowMapper<K> };
  private readonly log?: (message: string, fields?: Record<string, unknown>) => void;

  constructor(context: ConnectorContext<SalesforceCredentials, SalesforceSettingsInput | SalesforceSettings>) {
    this.settings = withDefaults(context.settings);
    this.client = new SalesforceClient(context.credentials, this.settings, context);
    this.writes = new SalesforceWrites(this.client);
    this.fields = new SalesforceFieldSetup(this.client);
    this.log = context.log;
    const mapping = this.settings.fieldMapping;
    this.mappers = {
      owners: mapOwner,
      accounts: (raw) => mapAccount(raw, mapping),
      contacts: mapContact,
      contact_roles: mapContactRole,
    };
  }

  /**
   * Signs in, then describes every object we read and reports mapped fields that do not exist.
   * Refused credentials answer authenticated: false with Salesforce's own message (an OAuth
   * connection's refresh refused included); anything else (unreachable, 5xx after retries) is
   * thrown as a VendorError for the caller to retry.
   */
  async testConnection(): Promise<ConnectionTestResult> {
    try {
      return await this.checkFields();
    } catch (error) {
      // A refused sign-in, or (OAuth) a stored token refused and its refresh refused too.
      if (error instanceof VendorError && error.kind === 'auth') {
        return { ok: false, authenticated: false, message: error.message, missingFields: [] };
      }
      throw error;
    }
  }

  private async checkFields(): Promise<ConnectionTestResult> {
    await this.client.signIn();
    const expected = expectedFields(this.settings.fieldMapping);
    const described = new Map<string, DescribeResult | null>();
    for (const object of objectsToDescribe(expected)) {
      try {
        described.set(object, await this.client.get<DescribeResult>(`/sobjects/${object}/describe`));
      } catch (error) {
        if (!isMissingObject(error)) throw error;
        described.set(object, null);
      }
    }
    const missingFields = findMissingFields(expected, described);
    return { ok: missingFields.length === 0, authenticated: true, message: describeMissing(missingFields), missingFields };
  }

  read<S extends CrmStream>(stream: S, options: ReadOptions): AsyncIterable<CrmPage<S>> {
    if (!Object.prototype.hasOwnProperty.call(this.mappers, stream)) {
      throw new VendorError('salesforce', 'invalid', `unknown stream ${String(stream)}`, { code: 'UNKNOWN_STREAM' });
    }
    return this.readPages(stream, options);
  }

  /** Past values of the mapped ARR field from AccountHistory (field history tracking); see arr-history.ts. */
  readArrHistory(accounts: ArrHistoryScope, signal?: AbortSignal): AsyncIterable<CrmArrPoint[]> {
    return readArrHistory(this.client, this.settings.fieldMapping.arr, accounts, signal, this.log);
  }

  /**
   * Follow-up Tasks (Status Not Started), 200 per collections POST, one result per input in
   * input order (externalId = the Task id). A request without a usable answer is never resent:
   * its records come back outcomeUnknown (find them with findTasksCreatedSince).
   */
  createTasks(tasks: CrmTaskInput[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    return this.writes.createTasks(tasks, signal);
  }

  /** Account or Contact field values, 200 per collections PATCH; results keyed by the record id. */
  updateRecords(object: CrmObject, updates: CrmRecordUpdate[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    return this.writes.updateRecords(object, updates, signal);
  }

  /** Our tasks (Subject LIKE 'NPS%') changed since `since` (inclusive), oldest change first. */
  readTasks(since: string | null, signal?: AbortSignal): AsyncIterable<CrmTaskState[]> {
    return this.writes.readTasks(since, signal);
  }

  /** Our tasks created at or after `since`, oldest first. */
  findTasksCreatedSince(since: Date, signal?: AbortSignal): AsyncIterable<CrmTaskMatch[]> {
    return this.writes.findTasksCreatedSince(since, signal);
  }

  /** Creates the missing custom fields and grants the integration user access; the rest goes to `manual`. */
  ensureFields(fields: CrmFieldSpec[], signal?: AbortSignal): Promise<FieldSetupResult> {
    return this.fields.ensure(fields, signal);
  }

  /** The object's fields as the integration user sees them: one describe call (Account or Contact). */
  async readFields(object: CrmObject, signal?: AbortSignal): Promise<CrmFieldInfo[]> {
    const sobject = object === 'account' ? 'Account' : 'Contact';
    const described = await this.client.get<{ fields: DescribedFieldJson[] }>(`/sobjects/${sobject}/describe`, signal);
    return described.fields.map(mapField);
  }

  apiCalls(): number {
    return this.client.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.client.apiUsage();
  }

  private async *readPages<S extends CrmStream>(stream: S, options: ReadOptions): AsyncGenerator<CrmPage<S>> {
    const since = options.since === null ? null : soqlDateTime(options.since);
    const { resource, soql } = streamQuery(stream, this.settings.fieldMapping, since);
    const map = this.mappers[stream] as RowMapper<S>;
    const fetchPage = async (url: string | undefined) => {
      const body = await this.client.get<QueryResponse<SalesforceRecord>>(url as string, options.signal);
      return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl, total: body.totalSize };
    };
    // ISO strings of one shape (toISOString) order like the instants they name.
    let cursor = since;
    const seen = new Set<string>();
    for await (const page of paginate(`/${resource}?q=${encodeURIComponent(soql)}`, fetchPage, options.signal)) {
      const upserts: CrmRecordByStream[S][] = [];
      const deletions: string[] = [];
      for (const raw of page.items) {
        const row = map(raw);
        if (cursor === null || row.modifiedAt > cursor) cursor = row.modifiedAt;
        if (row.record === null) deletions.push(row.externalId);
        else upserts.push(row.record);
        seen.add(row.externalId);
      }
      yield { stream, upserts, deletions, cursor, total: page.total };
    }
    if (stream === 'accounts' && since !== null && this.settings.fieldMapping.renewalDate.source === 'contract') {
      yield* this.contractChangedAccounts(since, seen, cursor, options.signal) as AsyncGenerator<CrmPage<S>>;
    }
  }

  /**
   * Accounts whose Contracts changed since `since` (their own stamp did not move), read again.
   * The cursor stays where the Account rows put it: the Contract query runs after the Account
   * query, so a later cursor could pass an account changed between the two. A contract change
   * newer than every account change is therefore seen again next run (an idempotent re-read).
   */
  private async *contractChangedAccounts(since: string, seen: Set<string>, cursor: string | null, signal?: AbortSignal): AsyncGenerator<CrmPage<'accounts'>> {
    const ids = await accountsWithChangedContracts(this.client, since, seen, signal);
    for (const url of accountsByIdUrls(this.settings.fieldMapping, ids)) {
      const fetchPage = async (next: string | undefined) => {
        const body = await this.client.get<QueryResponse<SalesforceRecord>>(next as string, signal);
        return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl };
      };
      for await (const page of paginate(url, fetchPage, signal)) {
        const upserts = page.items.map((raw) => this.mappers.accounts(raw).record).filter((r): r is NonNullable<typeof r> => r !== null);
        yield { stream: 'accounts', upserts, deletions: [], cursor };
      }
    }
  }
}
