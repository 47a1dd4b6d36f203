import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { instanceToPlain } from 'class-transformer';
import { DataSource, EntityManager } from 'typeorm';
import { HELPDESK_CONNECTORS } from '@connectors/core/registry';
import { ConnectionTestResult, CrmFieldInfo, CrmFieldSpec, CrmObject } from '@connectors/core/src';
import { APP_CONFIG, AppConfig, publicBaseUrl } from '@libs/config/src';
import { Connection } from '@libs/db/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { AuditLogRepository } from '@libs/db/src/repositories/audit-log.repository';
import { ConnectionChanges, ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { ContactRolesRepository } from '@libs/db/src/repositories/contact-roles.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { SyncRunsRepository } from '@libs/db/src/repositories/sync-runs.repository';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { npsFieldNames, npsFieldSpecs } from '../follow-ups/crm-fields';
import { ConnectorBuilder } from './connector-builder';
import { ConnectionDto, CreateConnectionDto, SyncRunDto, UpdateConnectionDto } from './connection.dto';
import { commonCrmSettings, factoryFor, validateConnectorInput, validateSettings } from './connector-input';

/** Why a survey or vendor write was cancelled when its connection was deleted. */
const SOURCE_REMOVED = 'source_removed';

/** Admin operations on vendor connections. Credentials go in encrypted and never come out. */
export type SetupResult =
  | { kind: 'helpdesk'; webhookId: string; ruleId: string; webhookUrl: string; scoreFieldId: string; scoreFieldCreated: boolean }
  | { kind: 'crm'; fields: { created: string[]; existing: string[]; manual: Array<CrmFieldSpec & { reason: string }> } };

@Injectable()
export class ConnectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly builder: ConnectorBuilder,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get connections(): ConnectionsRepository {
    return new ConnectionsRepository(this.dataSource.manager);
  }

  private get audit(): AuditLogRepository {
    return new AuditLogRepository(this.dataSource.manager);
  }

  private dto(row: Connection): ConnectionDto {
    const factory = factoryFor(row.kind);
    const common = factory.role === 'crm' ? commonCrmSettings(row.settings) : {};
    return ConnectionDto.from(row, { ...common, ...(factory.withDefaults(row.settings as never) as Record<string, unknown>) });
  }

  private async find(id: string): Promise<Connection> {
    const row = await this.connections.findLive(id);
    if (!row) throw new NotFoundException(`no connection with id ${id}`);
    return row;
  }

  async create(input: CreateConnectionDto, actor: string): Promise<ConnectionDto> {
    const factory = factoryFor(input.kind);
    const credentials = validateConnectorInput(factory.credentialsClass, input.credentials, 'credentials');
    const settings = validateSettings(factory, input.settings);
    const row = await this.connections.create({
      kind: factory.kind,
      name: input.name,
      credentialsEncrypted: this.builder.encrypt(instanceToPlain(credentials)),
      settings,
      status: 'pending',
    });
    await this.audit.record({ actor, action: 'connection.created', entity: 'connection', entityId: row.id, details: { kind: row.kind, name: row.name } });
    if (factory.role === 'crm') await this.enqueueSync(row.id, 'manual', false);
    return this.dto(await this.find(row.id));
  }

  /** Helpdesk connections whose tickets are reconciled: not removed, not disabled. */
  async activeHelpdeskIds(): Promise<string[]> {
    return this.connections.enabledIdsOfKinds(Object.keys(HELPDESK_CONNECTORS));
  }

  async list(): Promise<ConnectionDto[]> {
    return (await this.connections.listLive()).map((r) => this.dto(r));
  }

  async get(id: string): Promise<ConnectionDto> {
    return this.dto(await this.find(id));
  }

  async update(id: string, input: UpdateConnectionDto, actor: string): Promise<ConnectionDto> {
    const row = await this.find(id);
    const factory = factoryFor(row.kind);
    const changes: ConnectionChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.settings !== undefined) {
      // Only the given keys change; the rest (the score field from setup, earlier choices) stay,
      // and the merged whole is what is validated and stored.
      changes.settings = validateSettings(factory, { ...row.settings, ...input.settings });
    }
    if (input.credentials !== undefined) {
      const credentials = validateConnectorInput(factory.credentialsClass, input.credentials, 'credentials');
      changes.credentialsEncrypted = this.builder.encrypt(instanceToPlain(credentials));
      changes.status = 'pending';
      changes.statusReason = null;
      changes.pausedUntil = null;
    }
    if (input.enabled === false) changes.status = 'disabled';
    if (input.enabled === true && row.status === 'disabled') changes.status = 'pending';
    await this.connections.applyChanges(id, changes);
    await this.audit.record({
      actor,
      action: 'connection.updated',
      entity: 'connection',
      entityId: id,
      details: {
        fields: Object.keys(input)
          .filter((k) => k !== 'credentials')
          .concat(input.credentials ? ['credentials (not logged)'] : []),
      },
    });
    return this.get(id);
  }

  /**
   * rules §4 "Removed sources", in one transaction: its accounts and contacts
   * soft-deleted (no survey is planned for them again), their pending surveys cancelled
   * `source_removed`, its pending vendor writes cancelled, its credentials erased. Responses stay.
   */
  async remove(id: string, actor: string): Promise<void> {
    await this.dataSource.manager.transaction(async (tx: EntityManager) => {
      const connections = new ConnectionsRepository(tx);
      if (!(await connections.lockLive(id))) throw new NotFoundException(`no connection with id ${id}`);
      const surveysCancelled = await new SurveysRepository(tx).cancelPendingForConnection(id, SOURCE_REMOVED);
      const outbox = await new OutboxRepository(tx).cancelPendingForConnection(id, SOURCE_REMOVED);
      const followUpsCancelled = await new FollowUpsRepository(tx).cancelUncreated(outbox.followUpIds, SOURCE_REMOVED);
      const accounts = await new AccountsRepository(tx).softDeleteForConnection(id);
      const contacts = await new ContactsRepository(tx).softDeleteForConnection(id);
      await new ContactRolesRepository(tx).softDeleteForConnection(id);
      await connections.softDeleteAndEraseCredentials(id);
      await new AuditLogRepository(tx).record({
        actor,
        action: 'connection.deleted',
        entity: 'connection',
        entityId: id,
        details: { accounts, contacts, surveysCancelled, writesCancelled: outbox.cancelled, followUpsCancelled, credentials: 'erased' },
      });
    });
  }

  /** Checks credentials and mapped fields with the vendor now; a refused login marks the connection. */
  async test(id: string): Promise<ConnectionTestResult> {
    const row = await this.builder.loadWithCredentials(id);
    if (!row || row.deletedAt) throw new NotFoundException(`no connection with id ${id}`);
    const result = await (factoryFor(row.kind).role === 'crm' ? this.builder.build(row) : this.builder.buildHelpdesk(row)).connector.testConnection();
    await this.connections.recordTest(id, { ok: result.ok, authenticated: result.authenticated, message: result.message, missingFields: result.missingFields }, new Date());
    if (!result.authenticated) {
      await this.connections.recordStatus(id, { status: 'auth_failed', statusReason: result.message, statusChangedAt: new Date() });
    } else if (row.status === 'auth_failed' || row.status === 'pending') {
      await this.connections.recordStatus(id, { status: 'active', statusReason: null, statusChangedAt: new Date() });
    }
    return result;
  }

  /**
   * What a connection needs in the vendor before the loop can run. A helpdesk: the webhook and
   * the rule that calls it when a ticket is solved, pointing at this service (the signing secret
   * is stored with the credentials), and the ticket field for scores (stored in the connection's
   * settings, where its connector reads it). A CRM:
   * the NPS fields of rules §8, created when the API user may, listed for the admin otherwise.
   */
  async setup(id: string, actor: string): Promise<SetupResult> {
    const row = await this.builder.loadWithCredentials(id);
    if (!row || row.deletedAt) throw new NotFoundException(`no connection with id ${id}`);
    const factory = factoryFor(row.kind);
    if (factory.role === 'crm') {
      const { connector, settings } = this.builder.build(row);
      const result = await connector.ensureFields(npsFieldSpecs(npsFieldNames(row.kind, settings)!));
      const fields = {
        created: result.created.map((f) => `${f.object}.${f.name}`),
        existing: result.existing.map((f) => `${f.object}.${f.name}`),
        manual: result.manual,
      };
      await this.audit.record({
        actor,
        action: 'connection.setup',
        entity: 'connection',
        entityId: id,
        details: { created: fields.created, manual: fields.manual.map((f) => `${f.object}.${f.name}`) },
      });
      return { kind: 'crm', fields };
    }
    const webhookUrl = `${publicBaseUrl(this.config)}/webhooks/helpdesk/${id}`;
    const { connector } = this.builder.buildHelpdesk(row);
    const result = await connector.setup(webhookUrl);
    const scoreField = await connector.ensureScoreField();
    // Over the credentials as stored now: OAuth tokens renewed during the setup stay.
    await this.builder.changeCredentials<Record<string, unknown>>(id, async (stored) => ({ ...stored, webhookSigningSecret: result.signingSecret }));
    const settings = factory.withScoreField(row.settings, scoreField.id);
    await this.connections.recordStatus(id, { status: 'active', statusReason: null, statusChangedAt: new Date(), settings });
    await this.audit.record({
      actor,
      action: 'connection.setup',
      entity: 'connection',
      entityId: id,
      details: { webhookUrl, webhookId: result.webhookId, ruleId: result.ruleId, scoreFieldId: scoreField.id },
    });
    return { kind: 'helpdesk', webhookId: result.webhookId, ruleId: result.ruleId, webhookUrl, scoreFieldId: scoreField.id, scoreFieldCreated: scoreField.created };
  }

  /**
   * The CRM's real fields of its account or contact object (describe, properties), for mapping
   * settings to them. Asked of the vendor now; a refusal answers in its words.
   */
  async fields(id: string, object: CrmObject): Promise<{ object: CrmObject; fields: CrmFieldInfo[] }> {
    const row = await this.builder.loadWithCredentials(id);
    if (!row || row.deletedAt) throw new NotFoundException(`no connection with id ${id}`);
    if (factoryFor(row.kind).role !== 'crm') throw new BadRequestException([`id: connection ${id} is a ${row.kind} connection, not a CRM; it has no fields to map`]);
    const { connector } = this.builder.build(row);
    if (!connector.readFields) throw new BadRequestException([`id: the ${row.kind} connector cannot list its fields`]);
    const fields = await connector.readFields(object);
    return { object, fields: [...fields].sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name)) };
  }

  async requestSync(id: string, full: boolean): Promise<SyncRunDto> {
    const row = await this.find(id);
    if (factoryFor(row.kind).role !== 'crm') throw new BadRequestException([`id: connection ${id} is a ${row.kind} connection, not a CRM; its tickets are read by reconciliation`]);
    return this.enqueueSync(id, 'manual', full);
  }

  private async enqueueSync(connectionId: string, trigger: 'manual', full: boolean): Promise<SyncRunDto> {
    const run = await new SyncRunsRepository(this.dataSource.manager).queue(connectionId, trigger, full ? 'full' : 'incremental');
    await this.jobs.enqueue(QUEUE.crmSync, { connectionId, trigger, full, runId: run.id }, { singletonKey: `${connectionId}:manual:${run.id}` });
    return SyncRunDto.from(run);
  }

  async syncRuns(id: string): Promise<SyncRunDto[]> {
    await this.find(id);
    const rows = await new SyncRunsRepository(this.dataSource.manager).latestOf(id, 50);
    return rows.map((r) => SyncRunDto.from(r));
  }

  /** One sync run of a connection (its progress while it runs). */
  async syncRun(id: string, runId: string): Promise<SyncRunDto> {
    const run = await new SyncRunsRepository(this.dataSource.manager).findById(runId);
    if (!run || run.connectionId !== id) throw new NotFoundException(`no sync run with id ${runId} of connection ${id}`);
    return SyncRunDto.from(run);
  }

  /** Each connection's latest sync run, by connection id (a connection never synced is left out). */
  async latestSyncRuns(ids: string[]): Promise<Map<string, SyncRunDto>> {
    const runs = await new SyncRunsRepository(this.dataSource.manager).latestOfEach(ids);
    return new Map(runs.map((r) => [r.connectionId, SyncRunDto.from(r)]));
  }
}
