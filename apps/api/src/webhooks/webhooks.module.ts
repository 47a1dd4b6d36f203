import { Module } from '@nestjs/common';
import { HelpdeskWebhookController } from './helpdesk-webhook.controller';
import { HelpdeskWebhookService } from './helpdesk-webhook.service';

@Module({ controllers: [HelpdeskWebhookController], providers: [HelpdeskWebhookService] })
export class WebhooksModule {}
