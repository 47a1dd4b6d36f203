import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { HelpdeskWebhookService } from './helpdesk-webhook.service';

/** Where the helpdesk's trigger sends ticket events. Authenticated by the vendor's signature. */
@ApiTags('webhooks')
@Controller('webhooks/helpdesk')
export class HelpdeskWebhookController {
  constructor(private readonly webhooks: HelpdeskWebhookService) {}

  @Post(':connectionId')
  @HttpCode(202)
  @ApiOperation({ summary: 'A signed ticket event (the setup command points the helpdesk here)' })
  async receive(@Param('connectionId', ParseUUIDPipe) connectionId: string, @Req() req: Request & { rawBody?: Buffer }) {
    const created = await this.webhooks.receive(connectionId, req.rawBody, req.headers);
    return { accepted: true, duplicate: !created };
  }
}
