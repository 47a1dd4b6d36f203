import { Controller, HttpCode, Param, Post, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../http/input-pipes';
import { OUTAGE_RETRY_AFTER_SECONDS } from '@libs/app/src/webhooks/delivery-errors';
import { HelpdeskWebhookService } from '@libs/app/src/webhooks/helpdesk-webhook.service';

class WebhookAcceptedDto {
  @ApiProperty({ enum: [true] }) accepted: boolean;
  @ApiProperty({ description: 'true when this event was received before (a redelivery): nothing new is planned' }) duplicate: boolean;
}

/** Where the helpdesk's trigger sends ticket events. Authenticated by the vendor's signature. */
@ApiTags('webhooks')
@Controller('webhooks/helpdesk')
export class HelpdeskWebhookController {
  constructor(private readonly webhooks: HelpdeskWebhookService) {}

  @Post(':connectionId')
  @HttpCode(202)
  @ApiOperation({
    summary: 'A signed ticket event (the setup command points the helpdesk here)',
    description: "The body is the JSON the helpdesk's trigger sends as setup configured it, signed with the connection's webhook secret; no admin key.",
  })
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'recorded; its survey is planned by a worker' })
  @ApiErrors({
    400: 'the event cannot be read or stored; `message` names the field',
    401: 'the signature is missing, wrong or outside its time window, or setup has not run yet',
    404: 'no helpdesk connection with this id',
    409: 'conflicts with a recorded delivery',
    503: 'the database is unavailable: nothing was recorded, send it again (Retry-After)',
  })
  async receive(@Param('connectionId', ParseIdPipe) connectionId: string, @Req() req: Request & { rawBody?: Buffer }, @Res({ passthrough: true }) res: Response) {
    try {
      const created = await this.webhooks.receive(connectionId, req.rawBody, req.headers);
      return { accepted: true, duplicate: !created };
    } catch (error) {
      // Nothing was recorded: the sender's retry is wanted, once the database is back.
      if (error instanceof ServiceUnavailableException) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      throw error;
    }
  }
}
