import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors';
import { ParseIdPipe } from '../http/input-pipes';
import { ReportViewsService } from '@libs/app/src/reports/report-views.service';
import { AccountViewDto, PersonViewDto } from './report-views.dto';

@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/reports')
export class ReportViewsController {
  constructor(private readonly views: ReportViewsService) {}

  @Get('accounts/:id')
  @ApiOperation({ summary: 'One account: its people and roles, responses, NPS per quarter and stream, health and follow-ups' })
  @ApiOkResponse({ type: AccountViewDto })
  @ApiErrors(400, { 404: 'no account with this id' })
  account(@Param('id', ParseIdPipe) id: string) {
    return this.views.account(id);
  }

  @Get('people/:id')
  @ApiOperation({ summary: 'One person: answers, surveys sent and skipped with reasons, the next planned survey, unsubscribe state' })
  @ApiOkResponse({ type: PersonViewDto })
  @ApiErrors(400, { 404: 'no person (contact) with this id' })
  person(@Param('id', ParseIdPipe) id: string) {
    return this.views.person(id);
  }
}
