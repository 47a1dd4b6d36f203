import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors';
import { ParseIdPipe } from '../http/input-pipes';
import { AdminKeyDto, CreateAdminKeyDto, CreatedAdminKeyDto } from './admin-key.dto';
import { AdminRequest } from './admin-key.middleware';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';

function actor(req: AdminRequest): string {
  return `admin_key:${req.adminKey?.id ?? 'unknown'}`;
}

@ApiTags('admin keys')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/admin-keys')
export class AdminKeysController {
  constructor(private readonly keys: AdminKeyService) {}

  @Get()
  @ApiOperation({ summary: 'Every admin key, revoked ones included: name, prefix, last use (never the key itself)' })
  @ApiOkResponse({ type: [AdminKeyDto] })
  async list(): Promise<AdminKeyDto[]> {
    return (await this.keys.list()).map((row) => AdminKeyDto.from(row));
  }

  @Post()
  @ApiOperation({ summary: 'Makes a new admin key; the answer is the only time the key is shown' })
  @ApiCreatedResponse({ type: CreatedAdminKeyDto })
  @ApiErrors(400)
  async create(@Body() body: CreateAdminKeyDto, @Req() req: AdminRequest): Promise<CreatedAdminKeyDto> {
    const created = await this.keys.create(body.name, actor(req));
    return Object.assign(new CreatedAdminKeyDto(), { ...created, lastUsedAt: null, revokedAt: null });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes an admin key: requests with it answer 401 from now on' })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiErrors(400, { 404: 'no active admin key with this id' })
  async revoke(@Param('id', ParseIdPipe) id: string, @Req() req: AdminRequest): Promise<void> {
    await this.keys.revoke(id, actor(req));
  }
}
