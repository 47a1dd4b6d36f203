import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ApiErrors } from '../docs/api-errors';
import { createConnectionRef } from '@libs/app/src/connections/connector-schemas';
import { ParseIdPipe } from '../http/input-pipes';
import { ConnectionTestResultDto, CrmSetupDto, HelpdeskSetupDto } from '@libs/app/src/connections/connection-results.dto';
import { ConnectionDto, CreateConnectionDto, SyncRequestDto, SyncRunDto, UpdateConnectionDto } from '@libs/app/src/connections/connection.dto';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { CrmFieldsDto } from '@libs/app/src/connections/oauth.dto';

const VENDOR_OR_AUTH_LIMIT = 'the vendor rate-limited the call, or too many failed admin authentications from this address (Retry-After)';

const actor = (req: AdminRequest) => `admin_key:${req.adminKey?.id ?? 'unknown'}`;

@ApiTags('connections')
@ApiBearerAuth()
@ApiErrors(401, 429)
@ApiExtraModels(CrmSetupDto, HelpdeskSetupDto)
@Controller('api/connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Post()
  @ApiOperation({ summary: 'Connects a CRM or helpdesk: its kind, a name, the credentials for its authType and optional settings; a CRM starts its first sync' })
  @ApiBody({ schema: createConnectionRef() })
  @ApiCreatedResponse({ type: ConnectionDto })
  @ApiErrors(400, { 409: 'a connection with this name exists' })
  create(@Body() body: CreateConnectionDto, @Req() req: AdminRequest): Promise<ConnectionDto> {
    return this.connections.create(body, actor(req));
  }

  @Get()
  @ApiOperation({ summary: 'Every connection with its status and settings (never its credentials)' })
  @ApiOkResponse({ type: [ConnectionDto] })
  list(): Promise<ConnectionDto[]> {
    return this.connections.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connection with its status, last API usage and settings (never its credentials)' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiErrors(400, { 404: 'no connection with this id' })
  get(@Param('id', ParseIdPipe) id: string): Promise<ConnectionDto> {
    return this.connections.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Renames, re-authenticates, changes settings of, disables or enables a connection; only the given fields change' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiErrors(400, { 404: 'no connection with this id', 409: 'a connection with this name exists' })
  update(@Param('id', ParseIdPipe) id: string, @Body() body: UpdateConnectionDto, @Req() req: AdminRequest): Promise<ConnectionDto> {
    return this.connections.update(id, body, actor(req));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a connection: its accounts and contacts leave the plan, pending surveys and writes are cancelled, credentials erased; responses stay' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors(400, { 404: 'no connection with this id' })
  remove(@Param('id', ParseIdPipe) id: string, @Req() req: AdminRequest): Promise<void> {
    return this.connections.remove(id, actor(req));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Checks the credentials and the mapped fields with the vendor now; refused credentials mark the connection auth_failed' })
  @ApiOkResponse({ type: ConnectionTestResultDto })
  @ApiErrors(400, 424, 502, 504, { 404: 'no connection with this id', 429: VENDOR_OR_AUTH_LIMIT })
  test(@Param('id', ParseIdPipe) id: string) {
    return this.connections.test(id);
  }

  @Post(':id/setup')
  @HttpCode(200)
  @ApiOperation({ summary: "Prepares the vendor: a CRM's NPS fields, or a helpdesk's webhook, solved trigger and score field; safe to run again" })
  @ApiOkResponse({
    description: 'what exists in the vendor now; `kind` tells a CRM answer from a helpdesk one',
    schema: {
      oneOf: [{ $ref: getSchemaPath(CrmSetupDto) }, { $ref: getSchemaPath(HelpdeskSetupDto) }],
      discriminator: { propertyName: 'kind', mapping: { crm: getSchemaPath(CrmSetupDto), helpdesk: getSchemaPath(HelpdeskSetupDto) } },
    },
  })
  @ApiErrors(400, 424, 502, 504, { 404: 'no connection with this id', 429: VENDOR_OR_AUTH_LIMIT })
  setup(@Param('id', ParseIdPipe) id: string, @Req() req: AdminRequest) {
    return this.connections.setup(id, actor(req));
  }

  @Get(':id/fields')
  @ApiOperation({ summary: "The CRM's real fields of its account or contact object (describe, properties), for choosing the field mapping" })
  @ApiQuery({ name: 'object', required: false, enum: ['account', 'contact'], description: 'default account' })
  @ApiOkResponse({ type: CrmFieldsDto })
  @ApiErrors(424, 502, 504, { 400: 'the connection is not a CRM, or object is not account or contact', 404: 'no connection with this id', 429: VENDOR_OR_AUTH_LIMIT })
  fields(@Param('id', ParseIdPipe) id: string, @Query('object') object?: string): Promise<CrmFieldsDto> {
    if (object !== undefined && object !== 'account' && object !== 'contact') throw new BadRequestException(['object: must be account or contact']);
    return this.connections.fields(id, object ?? 'account');
  }

  @Post(':id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues a sync of a CRM connection (changes since the last run, or everything with full: true); follow it in sync-runs' })
  @ApiAcceptedResponse({ type: SyncRunDto })
  @ApiErrors({ 400: 'the connection is not a CRM, or a field is invalid', 404: 'no connection with this id' })
  sync(@Param('id', ParseIdPipe) id: string, @Body() body: SyncRequestDto): Promise<SyncRunDto> {
    return this.connections.requestSync(id, body.full ?? false);
  }

  @Get(':id/sync-runs')
  @ApiOperation({ summary: "A connection's latest 50 sync runs, newest first, with progress and counts per stream" })
  @ApiOkResponse({ type: [SyncRunDto] })
  @ApiErrors(400, { 404: 'no connection with this id' })
  syncRuns(@Param('id', ParseIdPipe) id: string): Promise<SyncRunDto[]> {
    return this.connections.syncRuns(id);
  }
}
