import { ApiUsage, ConnectionTestResult, ConnectorContext, CrmConnector, CrmPage, CrmStream, ReadOptions } from '../../core/src';
import { hubspotDescriptor } from '../descriptor';
import { checkConnection } from './connection-check';
import { HubSpotApi } from './hubspot-api';
import { HubSpotCredentials } from './hubspot-credentials';
import { HubSpotSettings, withDefaults } from './hubspot-settings';
import { createTasks, HubSpotCompanyUpdate, HubSpotTaskInput, HubSpotTaskState, HubSpotWriteResult, readTasks, updateCompanies } from './hubspot-writes';
import { readAccounts } from './read-accounts';
import { readContacts } from './read-contacts';
import { StreamRead } from './read-context';
import { ReadCursor, sinceMs } from './read-cursor';
import { readOwners } from './read-owners';

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

  /** Follow-up tasks (nps-program.md §6), 100 per batch call; one result per input, by key. See hubspot-writes.ts. */
  createTasks(tasks: HubSpotTaskInput[], signal?: AbortSignal): Promise<HubSpotWriteResult[]> {
    return createTasks(this.api, tasks, signal);
  }

  /** Account write-back (nps-program.md §8), 100 per batch call; results keyed by company id. */
  updateCompanies(updates: HubSpotCompanyUpdate[], signal?: AbortSignal): Promise<HubSpotWriteResult[]> {
    return updateCompanies(this.api, updates, signal);
  }

  /** Pages of task states modified at or after `since` (all when null), oldest first, for loop closure. */
  readTasks(since: string | null, signal?: AbortSignal): AsyncIterable<HubSpotTaskState[]> {
    return readTasks(this.api, since, signal);
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
