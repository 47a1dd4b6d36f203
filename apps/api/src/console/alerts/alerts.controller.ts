import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AlertsService } from '@libs/app/src/alerts/alerts.service';
import { oneOf, STATES } from '../../alerts/alerts.controller';
import { ParseIdPipe } from '../../http/input-pipes';
import { ConsoleController, ConsoleRequest, OpenTo, pageContext } from '../console-access';
import { redirectWithNotice } from '../console-redirect';
import { ALERTS_SHOWN, alertsPage, alertsUrl } from './alerts.page';

/**
 * Alerts: viewers and admins see them (AlertsService, as GET /api/alerts), filtered by state; only
 * admins acknowledge (as POST /api/alerts/:id/acknowledge).
 */
@ConsoleController('alerts')
@OpenTo('viewer')
export class AlertPagesController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  async list(@Req() req: ConsoleRequest, @Query('state') state?: unknown): Promise<string> {
    const wanted = oneOf('state', STATES, state);
    return alertsPage(pageContext(req), wanted, await this.alerts.list({ state: wanted, stream: null, limit: ALERTS_SHOWN }));
  }

  @Post(':id/acknowledge')
  @OpenTo('admin')
  async acknowledge(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const back = oneOf('state', STATES, body.state);
    const alert = await this.alerts.acknowledge(id);
    await redirectWithNotice(req, res, alertsUrl(back), `Acknowledged the ${alert.period} alert: ${alert.message}`);
  }
}
