import { BadRequestException, Get, HttpStatus, Inject, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountSearchService } from '@libs/app/src/reports/account-search.service';
import { LoopClosureService } from '@libs/app/src/reports/loop-closure.service';
import { ReportViewsService } from '@libs/app/src/reports/report-views.service';
import { ResponsePermalinkService } from '@libs/app/src/responses/response-permalink.service';
import { CLOCK, Clock } from '@libs/config/src';
import { ParseIdPipe } from '../../http/input-pipes';
import type { FollowUpDto } from '../../loop/loop-closure.dto';
import type { PersonViewDto } from '../../reports/report-views.dto';
import { ConsoleController, ConsoleRequest, OpenTo, pageContext } from '../console-access';
import { formText } from '../console-input';
import { accountSearchPage } from './account-search.page';
import { AccountView, accountPage } from './account.page';
import { personPage } from './person.page';
import { responsePage } from './response.page';

/** `?page`: 1 when absent; anything but digits is handed on as not a number, for the service to refuse naming it. */
const pageNumber = (value: unknown) => (value === undefined || value === '' ? 1 : typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN);

/**
 * Accounts and people (viewers and admins): search, the account page, the person page and the
 * response page: thin pages over AccountSearchService, ReportViewsService (GET
 * /api/reports/accounts/:id and /people/:id), ResponsePermalinkService (the response link's page)
 * and LoopClosureService (GET /api/responses/:id). Unknown ids are 404 pages, malformed ones 400.
 */
@ConsoleController()
@OpenTo('viewer')
export class AccountPagesController {
  constructor(
    private readonly search: AccountSearchService,
    private readonly views: ReportViewsService,
    private readonly permalinks: ResponsePermalinkService,
    private readonly loop: LoopClosureService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('accounts')
  async find(@Req() req: ConsoleRequest, @Res() res: Response, @Query('q') q?: unknown, @Query('page') page?: unknown): Promise<void> {
    const text = formText(q);
    if (!text.trim()) return void res.type('html').send(accountSearchPage(pageContext(req), { q: text }, null));
    try {
      res.type('html').send(accountSearchPage(pageContext(req), { q: text }, await this.search.search(text, pageNumber(page))));
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const errors = Object.fromEntries(
        ((error.getResponse() as { message: string[] }).message ?? []).map((m) => /^(q|page): (.*)$/s.exec(m)).flatMap((m) => (m ? [[m[1], m[2]]] : [])),
      );
      res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(accountSearchPage(pageContext(req), { q: text, errors }, null));
    }
  }

  @Get('accounts/:id')
  async account(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return accountPage(pageContext(req), (await this.views.account(id)) as unknown as AccountView, this.clock.now());
  }

  @Get('people/:id')
  async person(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    return personPage(pageContext(req), (await this.views.person(id)) as unknown as PersonViewDto);
  }

  @Get('responses/:id')
  async response(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    const view = await this.permalinks.view(id);
    if (!view) throw new NotFoundException(`no response with id ${id}`);
    const { followUps } = (await this.loop.response(id)) as { followUps: FollowUpDto[] };
    return responsePage(pageContext(req), view, followUps, this.clock.now());
  }
}
