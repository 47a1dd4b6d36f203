import { Module } from '@nestjs/common';
import { HelpdeskWebhookController } from './helpdesk-webhook.controller';

@Module({ controllers: [HelpdeskWebhookController] })
export class WebhooksModule {}
