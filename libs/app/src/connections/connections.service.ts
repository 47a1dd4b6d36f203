import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { instanceToPlain } from 'class-transformer';
import { In, IsNull, Not, Repository } from 'typeorm';
import { HELPDESK_CONNECTORS } from '@connectors/core/registry';
import { ConnectionTestResult, CrmFieldSpec } from '@connectors/core/src';
import { APP_CONFIG, AppConfig, publicBaseUrl } from '@libs/config/src';
import { AuditEntry, Connection, SyncRun } from '@libs/db/src';
import { ConnectionRemovalRepository } from '@libs/db/src/repositories/connection-removal.repository';
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
    @InjectRepository(Connection) private readonly connections: Repository<Connection>,
    @InjectRepository(SyncRun) private readonly runs: Repository<SyncRun>,
    @InjectRepository(AuditEntry) private readonly audit: Repository<AuditEntry>,
    private readonly builder: ConnectorBuilder,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private dto(row: Connection): ConnectionDto {
    const factory = factoryFor(row.kind);
    const common = factory.role === 'crm' ? commonCrmSettings(row.settings) : {};
    return ConnectionDto.from(row, { ...common, ...(factory.withDefaults(row.settings as never) as Record<string, unknown>) });
  }

  private async find(id: string): Promise<Connection> {
    const row = await this.connections.findOneBy({ id, deletedAt: IsNull() });
    if (!row) throw new NotFoundException(`no connection with id ${id}`);
    return row;
  }

  async create(input: CreateConnectionDto, actor: string): Promise<ConnectionDto> {
    const factory = factoryFor(input.kind);
    const credentials = validateConnectorInput(factory.credentialsClass, input.credentials, 'credentials');
    const settings = validateSettings(factory, input.settings);
    const row = await this.connections.save(
      this.connections.create({
        kind: factory.kind,
        name: input.name,
        credentialsEncrypted: this.builder.encrypt(instanceToPlain(credentials)),
        settings,
        status: 'pending',
      }),
    );
    await this.audit.insert({ actor, action: 'connection.created', entity: 'connection', entityId: row.id, details: { kind: row.kind, name: row.name } });
    if (factory.role === 'crm') await this.enqueueSync(row.id, 'manual', false);
    return this.dto(await this.find(row.id));
  }

  /** Helpdesk connections whose tickets are reconciled: not removed, not disabled. */
  async activeHelpdeskIds(): Promise<string[]> {
    const rows = await this.connections.find({
      select: { id: true },
      where: { deletedAt: IsNull(), status: Not('disabled'), kind: In(Object.keys(HELPDESK_CONNECTORS)) },
    });
    return rows.map((r) => r.id);
  }

  async list(): Promise<ConnectionDto[]> {
    return (await this.connections.find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } })).map((r) => this.dto(r));
  }

  async get(id: string): Promise<ConnectionDto> {
    return this.dto(await this.find(id));
  }

  async update(id: string, input: UpdateConnectionDto, actor: string): Promise<ConnectionDto> {
    const row = await this.find(id);
    const factory = factoryFor(row.kind);
    const changes: Partial<Connection> = {};
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
    await this.connections.update(id, changes as Parameters<Repository<Connection>["update"]>[1]);
    await this.audit.insert({
      actor,
      action: 'connection.updated',
      entity: 'connection',
      entityId: id,
      details: { fields: Object.keys(input).filter((k) => k !== 'credentials').concat(input.credentials ? ['credentials (not logged)'] : []) },
    });
    return this.get(id);
  }

  /**
   * rules §4 "Removed sources", in one transaction: its accounts and contacts
   * soft-deleted (no survey is planned for them again), their pending surveys cancelled
   * `source_removed`, its pending vendor writes cancelled, its credentials erased. Responses stay.
   */
  async remove(id: string, actor: string): Promise<void> {
    await this.connections.manager.transaction(async (tx) => {
      const removal = new ConnectionRemovalRepository(tx);
      if (!(await removal.lockLive(id))) throw new NotFoundException(`no connection with id ${id}`);
      const surveysCancelled = await removal.cancelPendingSurveys(id, SOURCE_REMOVED);
      const outbox = await removal.cancelPendingOutbox(id, SOURCE_REMOVED);
      const followUpsCancelled = await removal.cancelUncreatedFollowUps(outbox.followUpIds, SOURCE_REMOVED);
      const accounts = await removal.softDeleteAccounts(id);
      const contacts = await removal.softDeleteContacts(id);
      await removal.softDeleteContactRoles(id);
      await removal.softDeleteAndEraseCredentials(id);
      await tx.getRepository(AuditEntry).insert({
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
    if (!result.authenticated) {
      await this.connections.update(id, { status: 'auth_failed', statusReason: result.message, statusChangedAt: new Date() });
    } else if (row.status === 'auth_failed' || row.status === 'pending') {
      await this.connections.update(id, { status: 'active', statusReason: null, statusChangedAt: new Date() });
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
      await this.audit.insert({ actor, action: 'connection.setup', entity: 'connection', entityId: id, details: { created: fields.created, manual: fields.manual.map((f) => `${f.object}.${f.name}`) } });
      return { kind: 'crm', fields };
    }
    const webhookUrl = `${publicBaseUrl(this.config)}/webhooks/helpdesk/${id}`;
    const { connector, credentials } = this.builder.buildHelpdesk(row);
    const result = await connector.setup(webhookUrl);
    const scoreField = await connector.ensureScoreField();
    await this.builder.saveCredentials(id, { ...credentials, webhookSigningSecret: result.signingSecret });
    const settings = factory.withScoreField(row.settings, scoreField.id);
    await this.connections.update(id, { status: 'active', statusReason: null, statusChangedAt: new Date(), settings } as Parameters<Repository<Connection>['update']>[1]);
    await this.audit.insert({
      actor,
      action: 'connection.setup',
      entity: 'connection',
      entityId: id,
      details: { webhookUrl, webhookId: result.webhookId, ruleId: result.ruleId, scoreFieldId: scoreField.id },
    });
    return { kind: 'helpdesk', webhookId: result.webhookId, ruleId: result.ruleId, webhookUrl, scoreFieldId: scoreField.id, scoreFieldCreated: scoreField.created };
  }

  async requestSync(id: string, full: boolean): Promise<SyncRunDto> {
    const row = await this.find(id);
    if (factoryFor(row.kind).role !== 'crm') throw new BadRequestException([`id: connection ${id} is a ${row.kind} connection, not a CRM; its tickets are read by reconciliation`]);
    return this.enqueueSync(id, 'manual', full);
  }

  private async enqueueSync(connectionId: string, trigger: 'manual', full: boolean): Promise<SyncRunDto> {
    const run = await this.runs.save(this.runs.create({ connectionId, trigger, mode: full ? 'full' : 'incremental', status: 'queued' }));
    await this.jobs.enqueue(QUEUE.crmSync, { connectionId, trigger, full, runId: run.id }, { singletonKey: `${connectionId}:manual:${run.id}` });
    return SyncRunDto.from(run);
  }

  async syncRuns(id: string): Promise<SyncRunDto[]> {
    await this.find(id);
    const rows = await this.runs.find({ where: { connectionId: id }, order: { createdAt: 'DESC' }, take: 50 });
    return rows.map((r) => SyncRunDto.from(r));
  }
}
