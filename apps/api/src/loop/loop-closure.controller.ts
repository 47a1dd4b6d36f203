import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LoopClosureReport, LoopClosureService } from './loop-closure.service';

function dateParam(name: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new BadRequestException([`${name}: must be a date (YYYY-MM-DD)`]);
  }
  return value;
}

@ApiTags('loop closure')
@ApiBearerAuth()
@Controller('api')
export class LoopClosureController {
  constructor(private readonly loop: LoopClosureService) {}

  @Get('loop-closure')
  @ApiOperation({ summary: 'Loop-closure rates (closed / (closed + overdue)) per stream, category and segment; alerts below the threshold' })
  @ApiQuery({ name: 'from', required: false, description: 'follow-ups created on or after this date (YYYY-MM-DD)' })
  @ApiQuery({ name: 'to', required: false, description: 'follow-ups created on or before this date (YYYY-MM-DD)' })
  loopClosure(@Query('from') from?: string, @Query('to') to?: string): Promise<LoopClosureReport> {
    const start = dateParam('from', from);
    const end = dateParam('to', to);
    if (start && end && start > end) throw new BadRequestException(['to: must not be before from']);
    return this.loop.report(start, end);
  }

  @Get('write-backs')
  @ApiOperation({
    summary: 'Vendor writes per connection and status; the latest failed (or pending) ones with the vendor\'s words; beside them the follow-ups skipped, with their reason (e.g. no_leadership_owner)',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['failed', 'pending'] })
  writeBacks(@Query('status') status = 'failed'): Promise<Record<string, unknown>> {
    if (status !== 'failed' && status !== 'pending') throw new BadRequestException(['status: must be failed or pending']);
    return this.loop.writeBacks(status);
  }

  @Get('responses/:id')
  @ApiOperation({ summary: 'One response with its follow-ups (the link in every task and note)' })
  response(@Param('id', ParseUUIDPipe) id: string): Promise<Record<string, unknown>> {
    return this.loop.response(id);
  }
}
