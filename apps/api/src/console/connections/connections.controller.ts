import { Body, Get, HttpException, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { VendorError } from '@connectors/core/src';
import type { ConnectionDto } from '@libs/app/src/connections/connection.dto';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { fieldMappingOf, MappingChoices, mappingSettings, NpsField } from '@libs/app/src/connections/field-mapping';
import { ParseIdPipe } from '../../http/input-pipes';
import { ConsoleController, ConsoleRequest, pageContext } from '../console-access';
import { formText } from '../console-input';
import { consoleActor, redirectWithNotice } from '../console-redirect';
import { connectorOf, messagesOf, problemsByField, runIsActive, syncRunUrl, vendorLabel, vendorStatus, connectionUrl } from './connection-parts';
import { testNotice } from './connection-notices';
import { connectionPage, connectionsPage, setupResultPage } from './connections.pages';
import { CrmFields, fieldMappingPage, readChoices, readInput, writeChoices, writeInput } from './field-mapping.page';
import { SYNC_REFRESH_SECONDS, syncRunPage } from './sync-run.page';

/** How many of a connection's latest syncs its page lists. */
const RECENT_RUNS = 5;

/**
 * The connections (admin only): the list, one connection's page with its test, field mapping,
 * setup and syncs, and a sync's progress. Thin over ConnectionsService, which the API uses too;
 * a vendor's refusal is shown in its words on the page it happened on.
 */
@ConsoleController('connections')
export class ConnectionsPagesController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  async list(@Req() req: ConsoleRequest): Promise<string> {
    const all = await this.connections.list();
    const runs = await this.connections.latestSyncRuns(all.map((c) => c.id));
    return connectionsPage(
      pageContext(req),
      all.map((connection) => ({ connection, lastRun: runs.get(connection.id), isCrm: connectorOf(connection.kind)?.role === 'crm' })),
    );
  }

  @Get(':id')
  async show(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return this.page(req, await this.connections.get(id));
  }

  @Post(':id/test')
  async test(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const connection = await this.connections.get(id);
    try {
      const result = await this.connections.test(id);
      await redirectWithNotice(req, res, connectionUrl(id), testNotice(vendorLabel(connection.kind), result));
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      res
        .status(vendorStatus(error))
        .type('html')
        .send(await this.page(req, connection, { title: 'The test could not run', words: error.message }));
    }
  }

  @Post(':id/setup')
  async setup(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const connection = await this.connections.get(id);
    try {
      const result = await this.connections.setup(id, consoleActor(req));
      res
        .status(HttpStatus.OK)
        .type('html')
        .send(setupResultPage(pageContext(req), connection, vendorLabel(connection.kind), result));
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      res
        .status(vendorStatus(error))
        .type('html')
        .send(await this.page(req, connection, { title: 'The setup could not finish', words: error.message }));
    }
  }

  @Get(':id/fields')
  async mapping(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const connection = await this.connections.get(id);
    const fields = await this.crmFields(req, res, connection);
    if (!fields) return;
    const model = fieldMappingOf(connection.kind, connection.settings);
    res.type('html').send(fieldMappingPage(pageContext(req), connection, vendorLabel(connection.kind), model, fields));
  }

  /** Saves the mapping (only fields the CRM listed, or the default names the setup creates), then tests it. */
  @Post(':id/fields')
  async saveMapping(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const connection = await this.connections.get(id);
    const vendor = vendorLabel(connection.kind);
    const fields = await this.crmFields(req, res, connection);
    if (!fields) return;
    const model = fieldMappingOf(connection.kind, connection.settings);
    const choices: MappingChoices = { reads: {}, writes: {} };
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const choose = (input: string, offered: Array<{ value: string }>, keep: (value: string) => void) => {
      if (!(input in body)) return;
      const value = formText(body[input]);
      values[input] = value;
      if (offered.some((o) => o.value === value)) keep(value);
      else errors[input] = `must be one of the fields ${vendor} listed`;
    };
    for (const read of model.reads.filter((r) => r.choosable)) choose(readInput(read), readChoices(read, fields, vendor), (v) => (choices.reads[read.key] = v));
    for (const write of model.writes) choose(writeInput(write), writeChoices(write, fields), (v) => (choices.writes[write.field as NpsField] = v));
    const again = (status: number, problems: Record<string, string | undefined>) =>
      res
        .status(status)
        .type('html')
        .send(fieldMappingPage(pageContext(req), connection, vendor, model, fields, { values, errors: problems }));
    if (Object.keys(errors).length) return void again(HttpStatus.BAD_REQUEST, errors);
    try {
      await this.connections.update(id, { settings: mappingSettings(model, choices) }, consoleActor(req));
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      // The API's words name settings.fieldMapping.<key> and settings.npsFields.<field>: this form's read.<key> and write.<field>.
      const messages = messagesOf(error).map((m) => m.replace(/^settings\.fieldMapping\./, 'read.').replace(/^settings\.npsFields\./, 'write.'));
      return void again(error.getStatus(), problemsByField(messages, [...model.reads.map(readInput), ...model.writes.map(writeInput)]));
    }
    let notice = 'The field mapping is saved.';
    try {
      notice += ` ${testNotice(vendor, await this.connections.test(id))}`;
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      notice += ` The test could not run: ${error.message}`;
    }
    await redirectWithNotice(req, res, connectionUrl(id), notice);
  }

  /** Starts a sync and shows it; while one is already under way, shows that one instead of queueing another. */
  @Post(':id/sync')
  async sync(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const latest = (await this.connections.latestSyncRuns([id])).get(id);
    if (latest && runIsActive(latest)) {
      return redirectWithNotice(req, res, syncRunUrl(id, latest.id), 'A sync of this connection is already under way: this is it.');
    }
    const full = formText(body.mode) === 'full';
    const run = await this.connections.requestSync(id, full);
    await redirectWithNotice(
      req,
      res,
      syncRunUrl(id, run.id),
      full ? 'The full sync is queued: every record is read again.' : 'The sync is queued: changes since the last one are read.',
    );
  }

  @Get(':id/sync-runs/:runId')
  async syncRun(
    @Req() req: ConsoleRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('id', ParseIdPipe) id: string,
    @Param('runId', ParseIdPipe) runId: string,
    @Query('live') live?: string,
  ): Promise<string> {
    const connection = await this.connections.get(id);
    const run = await this.connections.syncRun(id, runId);
    const reloading = live !== '0';
    // A reload the page asks for itself (HTTP Refresh, no script), only while the run goes on and the person has not stopped it.
    if (reloading && runIsActive(run)) res.setHeader('Refresh', String(SYNC_REFRESH_SECONDS));
    return syncRunPage(pageContext(req), connection, vendorLabel(connection.kind), run, reloading);
  }

  private async page(req: ConsoleRequest, connection: ConnectionDto, problem?: { title: string; words: string }): Promise<string> {
    const connector = connectorOf(connection.kind);
    const isCrm = connector?.role === 'crm';
    const runs = isCrm ? (await this.connections.syncRuns(connection.id)).slice(0, RECENT_RUNS) : [];
    const mapping = isCrm ? fieldMappingOf(connection.kind, connection.settings) : undefined;
    return connectionPage(pageContext(req), { connection, connector, runs, mapping, problem });
  }

  /** The CRM's account and contact fields; a vendor's refusal answers the connection page with its words (and undefined). */
  private async crmFields(req: ConsoleRequest, res: Response, connection: ConnectionDto): Promise<CrmFields | undefined> {
    try {
      const [account, contact] = await Promise.all([this.connections.fields(connection.id, 'account'), this.connections.fields(connection.id, 'contact')]);
      return { account: account.fields, contact: contact.fields };
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      res
        .status(vendorStatus(error))
        .type('html')
        .send(await this.page(req, connection, { title: `The fields could not be read from ${vendorLabel(connection.kind)}`, words: error.message }));
      return undefined;
    }
  }
}
