import { BadRequestException, Body, Get, HttpException, HttpStatus, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { VendorError } from '@connectors/core/src';
import type { ConnectionDto } from '@libs/app/src/connections/connection.dto';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { connectorChoices, ConnectorChoice, credentialForms } from '@libs/app/src/connections/connector-forms';
import { OAuthAppDto, StartOAuthDto } from '@libs/app/src/connections/oauth.dto';
import { OAuthConnectService } from '@libs/app/src/connections/oauth-connect.service';
import { ConsoleController, ConsoleRequest, pageContext } from '../console-access';
import { formText } from '../console-input';
import { consoleActor, redirectWithNotice } from '../console-redirect';
import { connectionUrl, connectorOf, messagesOf, OAUTH_RESULT_URL, problemsByField } from './connection-parts';
import { testNotice } from './connection-notices';
import { continuePage, oauthFormFields, oauthFormPage, oauthResultPage, vendorsPage } from './connect.pages';
import { credentialFieldName, credentialsPage } from './credentials.page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_TAKEN = 'name: another connection already has this name (names are unique, ignoring case)';

/** A 4xx a service threw, as messages to show on the form; anything else is not the form's problem. */
function refusal(error: unknown): { status: number; messages: string[] } | undefined {
  if (error instanceof HttpException && error.getStatus() < 500) return { status: error.getStatus(), messages: messagesOf(error) };
  const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  if (driver?.code === '23505' && driver.constraint === 'connections_name_uq') return { status: HttpStatus.CONFLICT, messages: [NAME_TAKEN] };
  return undefined;
}

/**
 * Connecting a vendor (admin only): the guided "bring your own OAuth app" page per vendor, the
 * page the vendor sends the browser back to, and the token / key alternative. Every step is a
 * thin layer over the services the API uses (OAuthConnectService, ConnectionsService). Its
 * static paths are registered before the connection pages' /:id.
 */
@ConsoleController('connections')
export class ConnectController {
  constructor(
    private readonly oauth: OAuthConnectService,
    private readonly connections: ConnectionsService,
  ) {}

  @Get('new')
  vendors(@Req() req: ConsoleRequest): string {
    return vendorsPage(pageContext(req), connectorChoices());
  }

  @Get('new/:kind')
  async oauthForm(@Req() req: ConsoleRequest, @Param('kind') kind: string, @Query('connection') connection?: string): Promise<string> {
    const app = this.appOf(kind);
    const reconnect = connection === undefined ? undefined : await this.reconnectTarget(connection, app.kind);
    return oauthFormPage(pageContext(req), app, {}, reconnect);
  }

  /**
   * Stores the app's keys (encrypted, in the flow) and answers with a page linking to the
   * vendor's consent page: a link, not a redirect, since the console's form-action is 'self'.
   */
  @Post('new/:kind')
  async startOAuth(@Req() req: ConsoleRequest, @Res() res: Response, @Param('kind') kind: string, @Body() body: Record<string, unknown>): Promise<void> {
    const app = this.appOf(kind);
    const connectionId = formText(body.connectionId) || undefined;
    const reconnect = connectionId === undefined ? undefined : await this.reconnectTarget(connectionId, app.kind);
    const account: Record<string, string> = {};
    for (const field of app.accountFields) {
      const value = formText(body[`account.${field.name}`]).trim();
      if (value) account[field.name] = value;
    }
    const form = { name: formText(body.name).trim(), clientId: formText(body.clientId).trim(), account };
    const input = {
      kind: app.kind,
      ...(reconnect ? { connectionId: reconnect.id } : { name: form.name }),
      clientId: form.clientId,
      clientSecret: formText(body.clientSecret).trim(),
      account,
      returnTo: OAUTH_RESULT_URL,
    };
    const invalid = validateSync(plainToInstance(StartOAuthDto, input), { whitelist: true, forbidNonWhitelisted: true });
    let refused: { status: number; messages: string[] } | undefined = invalid.length
      ? { status: HttpStatus.BAD_REQUEST, messages: invalid.flatMap((e) => Object.values(e.constraints ?? {})) }
      : undefined;
    if (!refused) {
      try {
        const started = await this.oauth.start(input, consoleActor(req));
        return void res
          .status(HttpStatus.OK)
          .type('html')
          .send(continuePage(pageContext(req), app, started));
      } catch (error) {
        refused = refusal(error);
        if (!refused) throw error;
      }
    }
    const errors = problemsByField(refused.messages, oauthFormFields(app));
    res
      .status(refused.status)
      .type('html')
      .send(oauthFormPage(pageContext(req), app, { ...form, errors }, reconnect));
  }

  /** Where the vendor's consent page returns (through /oauth/callback/<kind>): how the flow ended, in the vendor's words. */
  @Get('connected')
  async oauthResult(@Req() req: ConsoleRequest, @Query('oauth') id?: string): Promise<string> {
    if (typeof id !== 'string' || !UUID.test(id)) throw new BadRequestException(['oauth: must be the id of a sign-in started here (a UUID)']);
    const outcome = await this.oauth.outcome(id);
    const connector = connectorOf(outcome.kind);
    const label = connector?.label ?? outcome.kind;
    let connection: ConnectionDto | undefined;
    let testProblem: string | undefined;
    if (outcome.status === 'connected' && outcome.connectionId) {
      connection = await this.connections.get(outcome.connectionId).catch((error: unknown) => {
        if (error instanceof NotFoundException) throw new NotFoundException(`The connection this sign-in made was removed since.`);
        throw error;
      });
      // The first visit tests the new tokens; a reload shows that test (a new sign-in tests again).
      const testedAfter = connection.lastTest && outcome.completedAt && connection.lastTest.testedAt >= outcome.completedAt;
      if (!testedAfter) {
        try {
          await this.connections.test(connection.id);
        } catch (error) {
          if (!(error instanceof VendorError)) throw error;
          testProblem = error.message;
        }
        connection = await this.connections.get(connection.id);
      }
    }
    const isCrm = connector?.role === 'crm';
    const lastRun = connection && isCrm ? (await this.connections.latestSyncRuns([connection.id])).get(connection.id) : undefined;
    return oauthResultPage(pageContext(req), { label, outcome, isCrm, connection, testProblem, lastRun });
  }

  @Get('new/:kind/credentials')
  credentialsForm(@Req() req: ConsoleRequest, @Param('kind') kind: string, @Query('type') type?: string): string {
    const connector = this.connectorOf(kind);
    const forms = credentialForms(connector.kind);
    const chosen = forms.find((f) => f.value === type) ?? forms[0];
    return credentialsPage(pageContext(req), connector, forms, chosen);
  }

  /** The alternative to an OAuth app: the credentials POST /api/connections takes; tested at once. */
  @Post('new/:kind/credentials')
  async createWithCredentials(@Req() req: ConsoleRequest, @Res() res: Response, @Param('kind') kind: string, @Body() body: Record<string, unknown>): Promise<void> {
    const connector = this.connectorOf(kind);
    const forms = credentialForms(connector.kind);
    const deciding = forms[0].property;
    const chosen = deciding ? forms.find((f) => f.value === formText(body[`credentials.${deciding}`])) : forms[0];
    if (!chosen) throw new BadRequestException([`credentials.${deciding}: must be one of ${forms.map((f) => f.value).join(', ')}`]);
    const name = formText(body.name).trim();
    const credentials: Record<string, unknown> = chosen.property ? { [chosen.property]: chosen.value } : {};
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    if (!name) errors.name = 'is required';
    for (const field of chosen.fields) {
      const raw = formText(body[credentialFieldName(field)]);
      const value = field.multiline ? raw.replace(/\r\n/g, '\n').trim() : raw.trim();
      if (!field.secret) values[field.name] = value;
      if (value) credentials[field.name] = value;
      else if (field.required) errors[credentialFieldName(field)] = 'is required';
    }
    const fieldNames = ['name', ...chosen.fields.map(credentialFieldName)];
    const again = (status: number, problems: Record<string, string | undefined>) =>
      res
        .status(status)
        .type('html')
        .send(credentialsPage(pageContext(req), connector, forms, chosen, { name, values, errors: problems }));
    if (Object.keys(errors).length) return void again(HttpStatus.BAD_REQUEST, errors);
    let made: ConnectionDto;
    try {
      made = await this.connections.create({ kind: connector.kind, name, credentials }, consoleActor(req));
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      return void again(refused.status, problemsByField(refused.messages, fieldNames));
    }
    let notice = `${made.name} is connected.`;
    try {
      notice += ` ${testNotice(connector.label, await this.connections.test(made.id))}`;
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      notice += ` The test could not run: ${error.message}`;
    }
    await redirectWithNotice(req, res, connectionUrl(made.id), notice);
  }

  private connectorOf(kind: string): ConnectorChoice {
    const connector = connectorOf(kind);
    if (!connector)
      throw new NotFoundException(
        `There is no connector "${kind}". Installed: ${connectorChoices()
          .map((c) => c.kind)
          .join(', ')}.`,
      );
    return connector;
  }

  private appOf(kind: string): OAuthAppDto {
    const connector = this.connectorOf(kind);
    if (!connector.oauth) throw new NotFoundException(`${connector.label} connects without an OAuth app: connect it with its credentials.`);
    return this.oauth.app(connector.kind);
  }

  /** The connection to sign in again: a live one of this kind. */
  private async reconnectTarget(id: string, kind: string): Promise<ConnectionDto> {
    if (!UUID.test(id)) throw new BadRequestException(['connection: must be a connection id (a UUID)']);
    const connection = await this.connections.get(id);
    if (connection.kind !== kind) throw new BadRequestException([`connection: ${connection.name} is a ${connection.kind} connection, not ${kind}`]);
    return connection;
  }
}
