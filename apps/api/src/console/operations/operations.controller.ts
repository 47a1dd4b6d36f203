import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { WriteBackList, WriteBacksService } from '@libs/app/src/outbox/write-backs.service';
import { SyncRunsService } from '@libs/app/src/sync/sync-runs.service';
import { WebhookDeliveriesService } from '@libs/app/src/webhooks/webhook-deliveries.service';
import { ConsoleController, ConsoleRequest, pageContext } from '../console-access';
import { rowNumberCursor, rowNumberParam } from '../console-input';
import { consoleActor, redirectWithNotice } from '../console-redirect';
import { operationsPage } from './operations.page';
import { syncRunsPage } from './sync-runs.page';
import { webhookDeliveriesPage } from './webhook-deliveries.page';
import { WRITE_BACKS_URL, writeBacksPage } from './write-backs.page';

const list = (value: unknown): WriteBackList => (value === 'waiting' ? 'waiting' : 'refused');

/** Operations (admin only): write-backs with send again / dismiss, sync runs, webhook deliveries. */
@ConsoleController('operations')
export class OperationsController {
  constructor(
    private readonly writeBacks: WriteBacksService,
    private readonly syncRuns: SyncRunsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  async overview(@Req() req: ConsoleRequest): Promise<string> {
    return operationsPage(pageContext(req), await this.writeBacks.summary());
  }

  @Get('write-backs')
  async writeBackList(@Req() req: ConsoleRequest, @Query('show') show?: string, @Query('before') before?: string): Promise<string> {
    const cursor = rowNumberCursor(before);
    return writeBacksPage(pageContext(req), list(show), await this.writeBacks.page(list(show), cursor), cursor === null);
  }

  @Post('write-backs/:id/retry')
  async sendAgain(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const state = await this.writeBacks.sendAgain(rowNumberParam('id', id), consoleActor(req));
    const notice =
      state === 'merged' ? `Write-back ${id} was merged into a newer update of the same record, which goes out next.` : `Write-back ${id} goes out at the next delivery.`;
    await redirectWithNotice(req, res, `${WRITE_BACKS_URL}?show=${list(body.show)}`, notice);
  }

  @Post('write-backs/:id/dismiss')
  async dismiss(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.writeBacks.dismiss(rowNumberParam('id', id), consoleActor(req));
    await redirectWithNotice(req, res, `${WRITE_BACKS_URL}?show=${list(body.show)}`, `Write-back ${id} was dismissed: it will not be sent.`);
  }

  @Get('sync-runs')
  async syncRunList(@Req() req: ConsoleRequest, @Query('before') before?: string): Promise<string> {
    return syncRunsPage(pageContext(req), await this.syncRuns.page(before), !before);
  }

  @Get('webhook-deliveries')
  async deliveryList(@Req() req: ConsoleRequest, @Query('before') before?: string): Promise<string> {
    const cursor = rowNumberCursor(before);
    return webhookDeliveriesPage(pageContext(req), await this.deliveries.page(cursor), cursor === null);
  }
}
