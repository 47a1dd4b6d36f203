import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AlertsService } from '@libs/app/src/alerts/alerts.service';
import type { AlertRow } from '@libs/db/src/repositories/alerts.repository';
import { ApiErrors } from '../docs/api-errors';
import { ParseIdPipe } from '../http/input-pipes';
import { AlertDto } from './alerts.dto';

export const STATES = ['new', 'acknowledged'] as const;
export const STREAMS = ['relational', 'transactional'] as const;

/** An optional query parameter from a fixed list (the console's alert filters take the same): null when absent, else 400 naming it. */
export function oneOf<T extends string>(name: string, allowed: readonly T[], value: unknown): T | null {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new BadRequestException([`${name}: must be one of ${allowed.join(', ')}`]);
}

@ApiTags('alerts')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Alerts raised (rules §9), newest first, each once per cause and period, with its state and deliveries' })
  @ApiQuery({ name: 'state', required: false, enum: STATES })
  @ApiQuery({ name: 'stream', required: false, enum: STREAMS })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } })
  @ApiOkResponse({ type: [AlertDto] })
  @ApiErrors({ 400: 'state, stream or limit is not one of the allowed values' })
  list(@Query('state') state?: string, @Query('stream') stream?: string, @Query('limit') limit?: string): Promise<AlertRow[]> {
    const given = limit === undefined || limit === '' ? '100' : limit;
    const count = Number(given);
    if (!/^\d{1,3}$/.test(given) || count < 1 || count > 500) throw new BadRequestException(['limit: must be a whole number from 1 to 500']);
    return this.alerts.list({ state: oneOf('state', STATES, state), stream: oneOf('stream', STREAMS, stream), limit: count });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledges an alert (new → acknowledged); acknowledging again changes nothing' })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, { 404: 'no alert with this id' })
  acknowledge(@Param('id', ParseIdPipe) id: string): Promise<AlertRow> {
    return this.alerts.acknowledge(id);
  }
}
