import { BadRequestException, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ErrorDto } from '../docs/api-errors';
import { PlanPreviewDto, PlanRunDto } from '@libs/app/src/planning/plan.dto';
import { PlanService } from '@libs/app/src/planning/plan.service';

export const PREVIEW_MAX_DAYS = 90;

/** `?days` of a plan preview (the console's plan page takes the same): 30 when absent, else 1–90 or 400 naming it. */
export function daysParam(value: string | undefined): number {
  if (value === undefined || value === '') return 30;
  const days = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(days >= 1 && days <= PREVIEW_MAX_DAYS)) throw new BadRequestException([`days: must be a whole number from 1 to ${PREVIEW_MAX_DAYS}`]);
  return days;
}

@ApiTags('plan')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/plan')
export class PlanController {
  constructor(private readonly plan: PlanService) {}

  @Get('preview')
  @ApiOperation({ summary: 'Who the plan would survey on which day and why, and who it would skip and why; writes nothing' })
  @ApiQuery({
    name: 'days',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: PREVIEW_MAX_DAYS, default: 30 },
    description: `how many days ahead, 1 to ${PREVIEW_MAX_DAYS}`,
  })
  @ApiOkResponse({ type: PlanPreviewDto })
  @ApiBadRequestResponse({ description: `days is not a whole number from 1 to ${PREVIEW_MAX_DAYS}`, type: ErrorDto })
  preview(@Query('days') days?: string): Promise<PlanPreviewDto> {
    return this.plan.preview(daysParam(days));
  }

  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Runs the relational plan (pre_renewal, quarterly wave) now and answers with its counts' })
  @ApiOkResponse({ type: PlanRunDto })
  run(): Promise<PlanRunDto> {
    return this.plan.run();
  }
}
