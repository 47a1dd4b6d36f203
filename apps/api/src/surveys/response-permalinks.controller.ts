import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeController, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ErrorDto } from '../docs/api-errors';
import type { Response } from 'express';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ProgramService } from '@libs/app/src/program/program.service';
import { RequestThrottles } from '../security/request-throttles';
import { ParseIdPipe } from '../http/input-pipes';
import { renderResponseNotFoundPage, renderResponsePage } from './pages/response-page';
import { IssuedPermalinkDto, RevokedPermalinksDto } from '@libs/app/src/responses/response-permalink.dto';
import { ResponsePermalinkService } from '@libs/app/src/responses/response-permalink.service';

function actor(req: AdminRequest): string {
  return `admin_key:${req.adminKey?.id ?? 'unknown'}`;
}

/** Admin side (behind the /api admin-key middleware): issue and revoke a response's links. */
@ApiTags('responses')
@ApiBearerAuth()
@ApiErrors(401, 429, { 400: 'the id is not a UUID' })
@Controller('api/responses')
export class ResponsePermalinksController {
  constructor(private readonly permalinks: ResponsePermalinkService) {}

  @Post(':id/permalink')
  @ApiOperation({ summary: 'Issue a new read-only link to the response page (no login needed to open it); returns the URL once' })
  @ApiCreatedResponse({ type: IssuedPermalinkDto })
  @ApiNotFoundResponse({ description: 'no response with this id', type: ErrorDto })
  issue(@Param('id', ParseIdPipe) id: string, @Req() req: AdminRequest): Promise<IssuedPermalinkDto> {
    return this.permalinks.issue(id, actor(req));
  }

  @Delete(':id/permalink')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke every live link to the response page (the links in its tasks and notes then answer 404)' })
  @ApiOkResponse({ type: RevokedPermalinksDto })
  @ApiNotFoundResponse({ description: 'no response with this id', type: ErrorDto })
  revoke(@Param('id', ParseIdPipe) id: string, @Req() req: AdminRequest): Promise<RevokedPermalinksDto> {
    return this.permalinks.revoke(id, actor(req));
  }
}

/**
 * The page itself, outside /api: a CSM or agent opens it from a task without an nps-bridge
 * login. The link is the secret, so the page is never cached, indexed or sent on as a referrer.
 */
@ApiExcludeController()
@Controller('r')
export class ResponsePageController {
  constructor(
    private readonly permalinks: ResponsePermalinkService,
    private readonly program: ProgramService,
    private readonly throttles: RequestThrottles,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' });
    const data = await this.permalinks.page(token);
    if (!data) {
      if (await this.throttles.refuseUnknownToken(res)) return;
      res.status(404).type('html').send(renderResponseNotFoundPage());
      return;
    }
    const { profile } = await this.program.get();
    res.type('html').send(renderResponsePage({ company: profile.companyName, ...data }));
  }
}
