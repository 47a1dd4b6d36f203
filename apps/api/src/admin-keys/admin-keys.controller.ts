import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminKeyDto, CreateAdminKeyDto, CreatedAdminKeyDto } from './admin-key.dto';
import { AdminRequest } from './admin-key.middleware';
import { AdminKeyService } from './admin-key.service';

function actor(req: AdminRequest): string {
  return `admin_key:${req.adminKey?.id ?? 'unknown'}`;
}

@ApiTags('admin keys')
@ApiBearerAuth()
@Controller('api/admin-keys')
export class AdminKeysController {
  constructor(private readonly keys: AdminKeyService) {}

  @Get()
  async list(): Promise<AdminKeyDto[]> {
    return (await this.keys.list()).map((row) => AdminKeyDto.from(row));
  }

  @Post()
  async create(@Body() body: CreateAdminKeyDto, @Req() req: AdminRequest): Promise<CreatedAdminKeyDto> {
    const created = await this.keys.create(body.name, actor(req));
    return Object.assign(new CreatedAdminKeyDto(), { ...created, lastUsedAt: null, revokedAt: null });
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Req() req: AdminRequest): Promise<void> {
    await this.keys.revoke(id, actor(req));
  }
}
