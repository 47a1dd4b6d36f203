import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookDeliveriesRepository, WebhookDeliveryListRow } from '@libs/db/src/repositories/webhook-deliveries.repository';

export type { WebhookDeliveryListRow } from '@libs/db/src/repositories/webhook-deliveries.repository';

export interface WebhookDeliveryPage {
  rows: WebhookDeliveryListRow[];
  /** `before` for the next (older) page; null on the last page. */
  older: string | null;
}

/** The helpdesk webhook calls received, newest first: what each became (a survey, or why none), or why it waits. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `before` is checked by the caller (a row number). */
  async page(before: string | null, limit = 50): Promise<WebhookDeliveryPage> {
    const rows = await new WebhookDeliveriesRepository(this.db.manager).page(before, limit + 1);
    return { rows: rows.slice(0, limit), older: rows.length > limit ? rows[limit - 1].id : null };
  }
}
