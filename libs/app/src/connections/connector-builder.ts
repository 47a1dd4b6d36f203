import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { crmConnectorFactory, helpdeskConnectorFactory } from '@connectors/core/registry';
import {
  ConnectorRegistry,
  CrmConnector,
  CrmConnectorFactory,
  HelpdeskConnector,
  HelpdeskConnectorFactory,
  RateWindows,
  SharedRateBudget,
  Sleep,
  useFromNow,
  VendorError,
} from '@connectors/core/src';
import { APP_CONFIG, AppConfig, CredentialCipher } from '@libs/config/src';
import { Connection } from '@libs/db/src';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { vendorRateWindowCounter } from '@libs/db/src/vendor-rate-windows';
import { commonCrmSettings } from './connector-input';
import { checkStoredCredentials } from './credential-keys';

export interface BuiltHelpdesk {
  factory: HelpdeskConnectorFactory;
  connector: HelpdeskConnector;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export interface BuiltConnector {
  factory: CrmConnectorFactory;
  connector: CrmConnector;
  settings: Record<string, unknown>;
}

/**
 * Turns a stored connection into a live connector: decrypts, fills defaults, keeps refreshed tokens.
 * It is the process's connector registry (one provider, ConnectorRegistryModule): the API, the
 * sync, the outbox and the read-back get the same connector for a connection until its
 * credentials or settings change, and every connector counts its vendor's rate budget in
 * Postgres, shared with every other process. At start it checks that the configured keys can
 * read the stored credentials (once per database).
 */
@Injectable()
export class ConnectorBuilder implements OnModuleInit {
  private static readonly keyChecks = new WeakMap<DataSource, Promise<void>>();
  private readonly logger = new Logger('Connector');
  private readonly cipher: CredentialCipher;
  private readonly crms = new ConnectorRegistry<BuiltConnector>();
  private readonly helpdesks = new ConnectorRegistry<BuiltHelpdesk>();
  private readonly rateWindows: RateWindows;
  /** Tests inject an instant sleep so vendor backoff takes no wall time. */
  static sleepOverride: Sleep | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.cipher = CredentialCipher.fromConfig(config);
    this.rateWindows = new RateWindows(vendorRateWindowCounter(dataSource));
  }

  private get connections(): ConnectionsRepository {
    return new ConnectionsRepository(this.dataSource.manager);
  }

  /** Each app started in a process (tests start several) has a builder; the check runs once per database. */
  async onModuleInit(): Promise<void> {
    const dataSource = this.dataSource;
    let check = ConnectorBuilder.keyChecks.get(dataSource);
    if (!check) {
      check = checkStoredCredentials(dataSource.manager, this.cipher).then(({ notUnderCurrentKey }) => {
        if (notUnderCurrentKey > 0) {
          this.logger.warn(`${notUnderCurrentKey} stored credentials are not under the current ENCRYPTION_KEY yet; run \`npm run credentials:rotate\``);
        }
      });
      ConnectorBuilder.keyChecks.set(dataSource, check);
    }
    await check;
  }

  encrypt(credentials: unknown): string {
    return this.cipher.encrypt(credentials);
  }

  async loadWithCredentials(id: string): Promise<Connection | null> {
    return this.connections.loadWithCredentials(id);
  }

  /** The connection's helpdesk connector (the registry's, apiCalls counted from now). */
  buildHelpdesk(connection: Connection): BuiltHelpdesk {
    const built = this.helpdesks.get(connection, () => this.createHelpdesk(connection));
    return { ...built, connector: useFromNow(built.connector) };
  }

  /** The connection's CRM connector (the registry's, apiCalls counted from now). */
  build(connection: Connection): BuiltConnector {
    const built = this.crms.get(connection, () => this.createCrm(connection));
    return { ...built, connector: useFromNow(built.connector) };
  }

  private rateBudget(connection: Connection): SharedRateBudget {
    return { store: this.rateWindows, connectionKey: connection.id };
  }

  private createHelpdesk(connection: Connection): BuiltHelpdesk {
    const factory = helpdeskConnectorFactory(connection.kind);
    if (!factory) throw new Error(`no helpdesk connector for kind "${connection.kind}"`);
    const settings = factory.withDefaults(connection.settings as never) as Record<string, unknown>;
    const credentials = this.cipher.decrypt<Record<string, unknown>>(connection.credentialsEncrypted);
    const connector = factory.create({
      credentials,
      settings,
      sleep: ConnectorBuilder.sleepOverride,
      onCredentialsRefreshed: (renewed) => this.saveCredentials(connection.id, renewed),
      renewCredentials: (renew) => this.changeCredentials(connection.id, renew),
      log: (message, fields) => this.logger.log({ connectionId: connection.id, ...fields }, message),
      rateBudget: this.rateBudget(connection),
    });
    return { factory, connector, settings, credentials };
  }

  /** Stores new credentials (e.g. the webhook signing secret the setup obtained). */
  async saveCredentials(connectionId: string, credentials: unknown): Promise<void> {
    await this.connections.saveCredentialsOfLive(connectionId, this.cipher.encrypt(credentials));
  }

  /**
   * Changes a connection's stored credentials under its credential lock, one process at a time:
   * `change` gets them as stored now, and what it resolves to is stored encrypted (nothing when
   * it hands back the same object). Renewed OAuth tokens (a connector's renewCredentials) and the
   * webhook secret setup obtains go through here, so neither overwrites the other and a refresh
   * token that works once is never used twice.
   */
  async changeCredentials<C>(connectionId: string, change: (stored: C) => Promise<C>): Promise<C> {
    let changed: { credentials: C; encrypted: string } | undefined;
    try {
      return await this.dataSource.transaction(async (tx) => {
        const connections = new ConnectionsRepository(tx);
        await connections.lockCredentialChanges(connectionId);
        const encrypted = await connections.storedCredentialsOfLive(connectionId);
        if (!encrypted) throw new VendorError('connection', 'auth', `connection ${connectionId} was removed: its credentials are erased`, { code: 'CONNECTION_REMOVED' });
        const stored = this.cipher.decrypt<C>(encrypted);
        const next = await change(stored);
        if (next === stored) return stored;
        changed = { credentials: next, encrypted: this.cipher.encrypt(next) };
        await connections.saveCredentialsOfLive(connectionId, changed.encrypted);
        return next;
      });
    } catch (error) {
      if (!changed) throw error;
      // The vendor issued new tokens but storing them failed: keep working with them, store them once more.
      this.logger.error({ connectionId, message: (error as Error).message }, 'storing renewed credentials failed');
      await this.saveCredentials(connectionId, changed.credentials).catch(() => undefined);
      return changed.credentials;
    }
  }

  private createCrm(connection: Connection): BuiltConnector {
    const factory = crmConnectorFactory(connection.kind);
    if (!factory) throw new Error(`no CRM connector for kind "${connection.kind}"`);
    const settings = {
      ...commonCrmSettings(connection.settings),
      ...(factory.withDefaults(connection.settings as never) as Record<string, unknown>),
    };
    const connector = factory.create({
      credentials: this.cipher.decrypt(connection.credentialsEncrypted),
      settings,
      sleep: ConnectorBuilder.sleepOverride,
      onCredentialsRefreshed: (credentials) => this.saveCredentials(connection.id, credentials),
      renewCredentials: (renew) => this.changeCredentials(connection.id, renew),
      log: (message, fields) => this.logger.log({ connectionId: connection.id, ...fields }, message),
      rateBudget: this.rateBudget(connection),
    });
    return { factory, connector, settings };
  }
}
