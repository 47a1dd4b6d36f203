import { BadRequestException, ConflictException, HttpException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { instanceToPlain } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CRM_CONNECTORS, HELPDESK_CONNECTORS } from '@connectors/core/registry';
import { codeChallengeOf, newCodeVerifier, OAuthApp, VendorError } from '@connectors/core/src';
import { APP_CONFIG, AppConfig, Clock, CLOCK, CredentialCipher, publicBaseUrl } from '@libs/config/src';
import { AuditLogRepository } from '@libs/db/src/repositories/audit-log.repository';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { hashOAuthState, OAuthAuthorizationRow, OAuthAuthorizationsRepository } from '@libs/db/src/repositories/oauth-authorizations.repository';
import { classSchema } from '../docs/validation-schema';
import { ConnectionsService } from './connections.service';
import { ConnectorBuilder } from './connector-builder';
import { factoryFor, validateConnectorInput, validateSettings } from './connector-input';
import { OAuthAppDto, OAuthOutcomeDto, OAuthStartedDto, StartOAuthDto } from './oauth.dto';

/** Where vendors send the admin's browser back: PUBLIC_URL + this + /<kind>. Outside /api: the browser carries no admin key. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

/** How long an authorize link works: enough to sign in to the vendor and approve; used once. */
const FLOW_LIFETIME_MS = 10 * 60_000;
/** Finished and expired flows are kept this long for their outcome page, then deleted. */
const FLOW_RETENTION_MS = 24 * 60 * 60_000;
/** The vendor's words are kept whole up to this length (a query string can be long). */
const MAX_MESSAGE = 1000;

/** What the callback got in its query string (RFC 6749 §4.1.2: code and state, or error, error_description and state). */
export interface OAuthCallbackQuery {
  code?: unknown;
  state?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** What the callback answers: where the browser goes next. */
export interface OAuthCallbackAnswer {
  redirectTo: string;
  flowId: string;
  result: 'connected' | 'failed';
}

/** A callback that cannot be tied to a flow (no state, unknown, used before): nothing to return to. */
export class OAuthStateRefused extends BadRequestException {}

/** What the flow keeps encrypted until the callback uses it. */
interface FlowSecrets {
  clientId: string;
  clientSecret: string;
  account: Record<string, unknown>;
  codeVerifier?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.slice(0, MAX_MESSAGE) : undefined);

/**
 * "Bring your own OAuth app": an admin registers an app with the vendor (the callback URL and
 * scopes from `app()`), starts a flow with its client id and secret (`start()`: the authorize URL
 * with a single-use, expiring state; the PKCE verifier kept here, encrypted), approves access in
 * the vendor's page, and the vendor returns the browser to `callback()`, which exchanges the code,
 * stores the tokens encrypted as the connection's credentials (a new connection, or new
 * credentials for one), and sends the browser back where the flow said. Every outcome, the
 * vendor's refusal in its own words included, is kept for `outcome()`.
 */
@Injectable()
export class OAuthConnectService {
  private readonly logger = new Logger('OAuthConnect');
  private readonly cipher: CredentialCipher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.cipher = CredentialCipher.fromConfig(config);
  }

  private get flows(): OAuthAuthorizationsRepository {
    return new OAuthAuthorizationsRepository(this.dataSource.manager);
  }

  /** The exact callback URL to register for a vendor's app. */
  callbackUrl(kind: string): string {
    return `${publicBaseUrl(this.config)}${OAUTH_CALLBACK_PATH}/${encodeURIComponent(kind)}`;
  }

  /** Every vendor that connects through an OAuth app, with what to register. */
  apps(): OAuthAppDto[] {
    return [...Object.values(CRM_CONNECTORS), ...Object.values(HELPDESK_CONNECTORS)].filter((f) => f.oauth).map((f) => this.appDto(f.kind, f.label, f.oauth!));
  }

  app(kind: string): OAuthAppDto {
    const factory = factoryFor(kind);
    if (!factory.oauth) throw new BadRequestException([`kind: ${factory.label} connects without an OAuth app`]);
    return this.appDto(factory.kind, factory.label, factory.oauth);
  }

  private appDto(kind: string, label: string, app: OAuthApp): OAuthAppDto {
    const schema = classSchema(app.accountClass);
    const required = new Set(schema.required ?? []);
    const accountFields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const described = property as { format?: string; description?: string };
      return { name, required: required.has(name), format: described.format ?? null, description: described.description ?? null };
    });
    return { kind, label, callbackUrl: this.callbackUrl(kind), scopes: [...app.scopes], pkce: app.pkce, registration: app.registration, accountFields };
  }

  /** Starts a flow: validates everything a connection needs now, so the vendor round trip ends in a connection. */
  async start(input: StartOAuthDto, actor: string): Promise<OAuthStartedDto> {
    const factory = factoryFor(input.kind);
    const app = factory.oauth;
    if (!app) throw new BadRequestException([`kind: ${factory.label} connects without an OAuth app; use POST /api/connections with its credentials`]);
    const account = validateConnectorInput(app.accountClass, input.account ?? {}, 'account');
    let connectionName: string | null = null;
    let settings: Record<string, unknown> | null = null;
    if (input.connectionId !== undefined) {
      if (input.name !== undefined || input.settings !== undefined)
        throw new BadRequestException(['connectionId: give either connectionId (sign in again) or name and settings (a new connection)']);
      const existing = await new ConnectionsRepository(this.dataSource.manager).findLive(input.connectionId);
      if (!existing) throw new NotFoundException(`no connection with id ${input.connectionId}`);
      if (existing.kind !== factory.kind) throw new BadRequestException([`connectionId: connection ${existing.id} is a ${existing.kind} connection, not ${factory.kind}`]);
    } else {
      if (input.name === undefined) throw new BadRequestException(['name: a new connection needs a name (or give connectionId to sign in again)']);
      connectionName = input.name;
      settings = validateSettings(factory, input.settings);
      const taken = (await this.connections.list()).some((c) => c.name.toLowerCase() === input.name!.toLowerCase());
      if (taken) throw new ConflictException(['name: another connection already has this name (names are unique, ignoring case)']);
    }
    const now = this.clock.now();
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = app.pkce ? newCodeVerifier() : undefined;
    const redirectUri = this.callbackUrl(factory.kind);
    const plainAccount = instanceToPlain(account);
    const secrets: FlowSecrets = { clientId: input.clientId.trim(), clientSecret: input.clientSecret.trim(), account: plainAccount, ...(codeVerifier ? { codeVerifier } : {}) };
    await this.flows.deleteExpiredBefore(new Date(now.getTime() - FLOW_RETENTION_MS));
    const flow = await this.flows.insert({
      stateHash: hashOAuthState(state),
      kind: factory.kind,
      connectionId: input.connectionId ?? null,
      connectionName,
      settings,
      secretsEncrypted: this.cipher.encrypt(secrets),
      redirectUri,
      returnTo: input.returnTo,
      startedBy: actor,
      expiresAt: new Date(now.getTime() + FLOW_LIFETIME_MS),
    });
    const authorizeUrl = app.authorizeUrl({
      account,
      clientId: secrets.clientId,
      redirectUri,
      state,
      codeChallenge: codeVerifier ? codeChallengeOf(codeVerifier) : undefined,
    });
    await new AuditLogRepository(this.dataSource.manager).record({
      actor,
      action: 'connection.oauth_started',
      entity: 'oauth_authorization',
      entityId: flow.id,
      details: { kind: factory.kind, connectionId: flow.connectionId, name: connectionName },
    });
    return { id: flow.id, kind: factory.kind, authorizeUrl, callbackUrl: redirectUri, expiresAt: flow.expiresAt };
  }

  /**
   * The vendor sent the browser back. A state that names no unused flow is refused (400); any
   * other outcome, success or the vendor's refusal, sends the browser to the flow's return path.
   */
  async callback(kind: string, query: OAuthCallbackQuery): Promise<OAuthCallbackAnswer> {
    const state = text(query.state);
    if (!state) {
      throw new OAuthStateRefused(['state: the vendor sent no state, so this sign-in cannot be tied to one started in nps-bridge; start connecting again']);
    }
    const now = this.clock.now();
    const flow = await this.flows.claim(hashOAuthState(state), now);
    if (!flow) {
      const known = await this.flows.findByStateHash(hashOAuthState(state));
      throw new OAuthStateRefused([
        known
          ? 'state: this sign-in was already completed (a state works once); start connecting again'
          : 'state: unknown — this sign-in was not started here, or is too old; start connecting again',
      ]);
    }
    if (flow.kind !== kind) return this.fail(flow, 'wrong_callback', `this sign-in was started for ${flow.kind} but came back from ${kind}`);
    if (!flow.fresh) return this.fail(flow, 'expired_state', 'the approval took longer than 10 minutes; start connecting again');
    const vendorError = text(query.error);
    if (vendorError) return this.fail(flow, vendorError, text(query.error_description) ?? vendorError);
    const code = text(query.code);
    if (!code) return this.fail(flow, 'no_code', `${kind} sent neither a code nor an error`);

    const factory = factoryFor(flow.kind);
    const secrets = this.cipher.decrypt<FlowSecrets>(flow.secretsEncrypted);
    let credentials: Record<string, unknown>;
    try {
      credentials = await factory.oauth!.exchangeCode(
        { account: secrets.account, clientId: secrets.clientId, clientSecret: secrets.clientSecret, code, redirectUri: flow.redirectUri, codeVerifier: secrets.codeVerifier },
        { sleep: ConnectorBuilder.sleepOverride, log: (message, fields) => this.logger.log({ flowId: flow.id, ...fields }, message) },
      );
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      return this.fail(flow, error.details.code ?? error.kind, error.message);
    }
    let connectionId: string;
    try {
      connectionId = flow.connectionId
        ? (await this.connections.update(flow.connectionId, { credentials }, flow.startedBy)).id
        : (await this.connections.create({ kind: flow.kind, name: flow.connectionName!, credentials, settings: flow.settings ?? undefined }, flow.startedBy)).id;
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      return this.fail(flow, refused.code, refused.message);
    }
    await this.flows.finish(flow.id, { status: 'connected', errorCode: null, errorMessage: null, resultConnectionId: connectionId }, this.clock.now());
    await new AuditLogRepository(this.dataSource.manager).record({
      actor: flow.startedBy,
      action: 'connection.oauth_connected',
      entity: 'connection',
      entityId: connectionId,
      details: { kind: flow.kind, flowId: flow.id, reconnected: flow.connectionId !== null },
    });
    return { redirectTo: returnPath(flow.returnTo, { oauth: flow.id, result: 'connected', connection: connectionId }), flowId: flow.id, result: 'connected' };
  }

  /** How a flow ended (or that it is still waiting for the vendor), the vendor's words included. */
  async outcome(id: string): Promise<OAuthOutcomeDto> {
    const flow = await this.flows.findById(id);
    if (!flow) throw new NotFoundException(`no OAuth authorization with id ${id}`);
    const expired = flow.status === 'pending' && flow.expiresAt.getTime() <= this.clock.now().getTime();
    return {
      id: flow.id,
      kind: flow.kind,
      status: expired ? 'expired' : flow.status,
      connectionId: flow.resultConnectionId,
      error: flow.errorCode ? { code: flow.errorCode, message: flow.errorMessage ?? flow.errorCode } : null,
      returnTo: flow.returnTo,
      createdAt: flow.createdAt,
      expiresAt: flow.expiresAt,
      completedAt: flow.completedAt,
    };
  }

  private async fail(flow: OAuthAuthorizationRow, code: string, message: string): Promise<OAuthCallbackAnswer> {
    await this.flows.finish(flow.id, { status: 'failed', errorCode: code.slice(0, 200), errorMessage: message, resultConnectionId: null }, this.clock.now());
    this.logger.warn({ flowId: flow.id, kind: flow.kind, code, message }, 'OAuth connection refused');
    return { redirectTo: returnPath(flow.returnTo, { oauth: flow.id, result: 'failed', error: code.slice(0, 200) }), flowId: flow.id, result: 'failed' };
  }
}

/** A refusal while storing the connection (its name taken meanwhile, removed meanwhile, invalid credentials): the flow fails with it. */
function refusal(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof HttpException) {
    const said = error.getResponse() as { message?: unknown };
    const message = Array.isArray(said.message) ? said.message.join('; ') : String(said.message ?? error.message);
    const code = error.getStatus() === 409 ? 'name_taken' : error.getStatus() === 404 ? 'connection_removed' : 'invalid_credentials';
    return { code, message };
  }
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driver?.code === '23505' && driver.constraint === 'connections_name_uq') {
    return { code: 'name_taken', message: 'name: another connection already has this name (names are unique, ignoring case)' };
  }
  return undefined;
}

/** The flow's return path with our parameters added (its own query and fragment kept). */
function returnPath(path: string, params: Record<string, string>): string {
  const url = new URL(path, 'http://return.invalid');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}
