import { ArgumentMetadata, BadRequestException, Controller, HttpCode, Injectable, Param, PipeTransform, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { WriteBacksService } from '@libs/app/src/outbox/write-backs.service';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ApiErrors } from '../docs/api-errors';

/** A write-back id: the outbox row's number. Anything else is a 400 naming the parameter. */
@Injectable()
export class ParseRowNumberPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && /^[1-9]\d{0,17}$/.test(value)) return value;
    throw new BadRequestException([`${metadata.data ?? 'id'}: must be a write-back number`]);
  }
}

export class WriteBackSentAgainDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({
    enum: ['pending', 'merged'],
    description: 'pending: it goes out at the next delivery; merged: a newer update of the same record carries its fields and goes out instead',
  })
  status: 'pending' | 'merged';
}

const actor = (req: AdminRequest) => `admin_key:${req.adminKey?.id ?? 'unknown'}`;
const NOT_ACTIONABLE = { 404: 'no write-back with this id is waiting or refused (it may have been delivered or dismissed meanwhile)' };

/** What an admin does about a write-back (GET /api/write-backs lists them); the console's Write-backs page calls the same service. */
@ApiTags('loop closure')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/write-backs')
export class WriteBackActionsController {
  constructor(private readonly writeBacks: WriteBacksService) {}

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a refused write-back again (after its cause is fixed in the vendor), or a waiting one now instead of after its backoff' })
  @ApiParam({ name: 'id', description: 'the write-back number', example: '42' })
  @ApiOkResponse({ type: WriteBackSentAgainDto })
  @ApiErrors(400, NOT_ACTIONABLE)
  async retry(@Param('id', ParseRowNumberPipe) id: string, @Req() req: AdminRequest): Promise<WriteBackSentAgainDto> {
    return { id, status: await this.writeBacks.sendAgain(id, actor(req)) };
  }

  @Post(':id/dismiss')
  @HttpCode(204)
  @ApiOperation({ summary: "Gives up on a refused or waiting write-back: kept with the vendor's words, never sent" })
  @ApiParam({ name: 'id', description: 'the write-back number', example: '42' })
  @ApiNoContentResponse({ description: 'dismissed' })
  @ApiErrors(400, NOT_ACTIONABLE)
  async dismiss(@Param('id', ParseRowNumberPipe) id: string, @Req() req: AdminRequest): Promise<void> {
    await this.writeBacks.dismiss(id, actor(req));
  }
}
