import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors';
import { calendarDateParam, ParseIdPipe } from '../http/input-pipes';
import { LoopClosureReportDto, ResponseDetailDto, WriteBacksDto } from './loop-closure.dto';
import { LoopClosureReport, LoopClosureService } from '@libs/app/src/reports/loop-closure.service';

@ApiTags('loop closure')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api')
export class LoopClosureController {
  constructor(private readonly loop: LoopClosureService) {}

  @Get('loop-closure')
  @ApiOperation({ summary: 'Loop-closure rates (closed / (closed + overdue)) per stream, category and segment; alerts below the threshold' })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' }, description: 'follow-ups created on or after this date (YYYY-MM-DD)' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' }, description: 'follow-ups created on or before this date (YYYY-MM-DD)' })
  @ApiOkResponse({ type: LoopClosureReportDto })
  @ApiErrors({ 400: 'from or to is not a date (YYYY-MM-DD), or to is before from' })
  loopClosure(@Query('from') from?: string, @Query('to') to?: string): Promise<LoopClosureReport> {
    const start = calendarDateParam('from', from);
    const end = calendarDateParam('to', to);
    if (start && end && start > end) throw new BadRequestException(['to: must not be before from']);
    return this.loop.report(start, end);
  }

  @Get('write-backs')
  @ApiOperation({
    summary:
      "Vendor writes per connection and status; the latest failed (or pending) ones with the vendor's words; beside them the follow-ups skipped, with their reason (e.g. no_leadership_owner)",
  })
  @ApiQuery({ name: 'status', required: false, enum: ['failed', 'pending'], description: 'which write-backs to list (default failed)' })
  @ApiOkResponse({ type: WriteBacksDto })
  @ApiErrors({ 400: 'status is neither failed nor pending' })
  writeBacks(@Query('status') status = 'failed'): Promise<Record<string, unknown>> {
    if (status !== 'failed' && status !== 'pending') throw new BadRequestException(['status: must be failed or pending']);
    return this.loop.writeBacks(status);
  }

  @Get('responses/:id')
  @ApiOperation({ summary: 'One response with its follow-ups (the link in every task and note)' })
  @ApiOkResponse({ type: ResponseDetailDto })
  @ApiErrors(400, { 404: 'no response with this id' })
  response(@Param('id', ParseIdPipe) id: string): Promise<Record<string, unknown>> {
    return this.loop.response(id);
  }
}
