import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ConnectionDto, CreateConnectionDto, SyncRequestDto, SyncRunDto, UpdateConnectionDto } from './connection.dto';
import { ConnectionsService } from './connections.service';

const actor = (req: AdminRequest) => `admin_key:${req.adminKey?.id ?? 'unknown'}`;

@ApiTags('connections')
@ApiBearerAuth()
@Controller('api/connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Post()
  create(@Body() body: CreateConnectionDto, @Req() req: AdminRequest): Promise<ConnectionDto> {
    return this.connections.create(body, actor(req));
  }

  @Get()
  list(): Promise<ConnectionDto[]> {
    return this.connections.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionDto> {
    return this.connections.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateConnectionDto, @Req() req: AdminRequest): Promise<ConnectionDto> {
    return this.connections.update(id, body, actor(req));
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string, @Req() req: AdminRequest): Promise<void> {
    return this.connections.remove(id, actor(req));
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', ParseUUIDPipe) id: string) {
    return this.connections.test(id);
  }

  @Post(':id/setup')
  @HttpCode(200)
  setup(@Param('id', ParseUUIDPipe) id: string, @Req() req: AdminRequest) {
    return this.connections.setup(id, actor(req));
  }

  @Post(':id/sync')
  @HttpCode(202)
  sync(@Param('id', ParseUUIDPipe) id: string, @Body() body: SyncRequestDto): Promise<SyncRunDto> {
    return this.connections.requestSync(id, body.full ?? false);
  }

  @Get(':id/sync-runs')
  syncRuns(@Param('id', ParseUUIDPipe) id: string): Promise<SyncRunDto[]> {
    return this.connections.syncRuns(id);
  }
}
