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
  CrmRecordUpdate,
  CrmStream,
  CrmTaskInput,
  CrmTaskMatch,
  CrmTaskState,
  CrmWriteResult,
  FieldSetupResult,
  ReadOptions,
} from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { readArrHistory } from './arr-history';
import { checkConnection } from './connection-check';
import { HubSpotApi } from './hubspot-api';
import { HubSpotCredentials } from './hubspot-credentials';
import { HubSpotSettings, withDefaults } from './hubspot-settings';
import { mapProperty, PropertyJson } from './map-property';
import { createTasks, updateRecords } from './hubspot-writes';
import { ensureFields } from './property-setup';
import { readAccounts } from './read-accounts';
import { readContacts } from './read-contacts';
import { StreamRead } from './read-context';
import { ReadCursor, sinceMs } from './read-cursor';
import { readOwners } from './read-owners';
import { findTasksCreatedSince, readTasks } from './task-reads';

/**
 * HubSpot behind the CRM port. Roles are HubSpot association labels, read alongside the
 * accounts (company→contact, every page) and incremental contacts (contact→company) pages, so
 * the `contact_roles` stream has nothing of its own to read and spends no call: a separate pass
 * would only re-read the same associations.
 */
export class HubSpotConnector implements CrmConnector {
  private readonly api: HubSpotApi;
  private readonly settings: HubSpotSettings;

  constructor(private readonly context: ConnectorContext<HubSpotCredentials, HubSpotSettings>) {
    this.settings = withDefaults(context.settings);
    this.api = new HubSpotApi(context, this.settings);
  }

  testConnection(): Promise<ConnectionTestResult> {
    return checkConnection(this.api, this.settings.fieldMapping);
  }

  read<S extends CrmStream>(stream: S, options: ReadOptions): AsyncIterable<CrmPage<S>> {
    return this.pages(stream, options) as AsyncIterable<CrmPage<S>>;
  }

  /** Past values of the mapped ARR property from HubSpot's property history; see arr-history.ts. */
  readArrHistory(accounts: ArrHistoryScope, signal?: AbortSignal): AsyncIterable<CrmArrPoint[]> {
    return readArrHistory(this.api, this.settings.fieldMapping.arr, accounts, signal);
  }

  /**
   * Follow-up tasks (rules §6), 100 per batch call, associated with the company and
   * the contact; one result per input, by key. See hubspot-writes.ts and batch-writes.ts.
   */
  createTasks(tasks: CrmTaskInput[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    return createTasks(this.api, tasks, signal);
  }

  /** rules §8 write-back to companies (account) or contacts, 100 per batch call; results keyed by record id. */
  updateRecords(object: CrmObject, updates: CrmRecordUpdate[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    return updateRecords(this.api, object, updates, signal);
  }

  /** Pages of our tasks modified at or after `since` (all when null), oldest first, for loop closure. */
  readTasks(since: string | null, signal?: AbortSignal): AsyncIterable<CrmTaskState[]> {
    return readTasks(this.api, since, signal);
  }

  /** Our tasks created at or after `since` (search on hs_createdate), to settle creates whose outcome was unknown. */
  findTasksCreatedSince(since: Date, signal?: AbortSignal): AsyncIterable<CrmTaskMatch[]> {
    return findTasksCreatedSince(this.api, since, signal);
  }

  /** The rules §8 properties in the nps_bridge group: created when missing, or listed for the admin. See property-setup.ts. */
  ensureFields(fields: CrmFieldSpec[], signal?: AbortSignal): Promise<FieldSetupResult> {
    return ensureFields(this.api, fields, signal);
  }

  /** The company or contact properties the token can read: one call (GET /crm/v3/properties/{objectType}), hidden ones left out. */
  async readFields(object: CrmObject, signal?: AbortSignal): Promise<CrmFieldInfo[]> {
    const objectType = object === 'account' ? 'companies' : 'contacts';
    const answer = await this.api.call('general', (client) => client.crm.properties.coreApi.getAllWithHttpInfo(objectType), signal);
    return (answer.results as PropertyJson[]).filter((p) => p.hidden !== true).map(mapProperty);
  }

  apiCalls(): number {
    return this.api.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.api.apiUsage();
  }

  private async *pages(stream: CrmStream, options: ReadOptions): AsyncGenerator<CrmPage> {
    const since = sinceMs(options.since);
    const read: StreamRead = {
      api: this.api,
      settings: this.settings,
      since,
      cursor: new ReadCursor(since, Date.now(), hubspotDescriptor.cursorSettleMs),
      signal: options.signal,
      log: this.context.log,
    };
    switch (stream) {
      case 'owners':
        return yield* readOwners(read);
      case 'accounts':
        return yield* readAccounts(read);
      case 'contacts':
        return yield* readContacts(read);
      case 'contact_roles':
        return;
      default:
        throw new Error(`HubSpot has no stream ${String(stream)}`);
    }
  }
}
