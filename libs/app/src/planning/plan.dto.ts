import { ApiProperty } from '@nestjs/swagger';

export class PlannedSurveyDto {
  @ApiProperty({ example: '2026-11-03', description: 'the local day (program time zone) it is scheduled for' }) day: string;
  @ApiProperty({ description: 'when it is scheduled to go out (the dispatcher still keeps to the window and the daily cap)' }) scheduledAt: Date;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal', 'ticket_solved', 'onboarding'] }) trigger: string;
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ nullable: true, type: String }) contactId: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) accountId: string | null;
  @ApiProperty({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ example: 'renews 2027-01-20 (75 days ahead)', description: 'why this person, in words' }) why: string;
  @ApiProperty({ description: 'true when the survey was already scheduled before this preview' }) alreadyScheduled: boolean;
}

export class SkippedPersonDto {
  @ApiProperty({ example: '2026-11-03', description: 'the local day of the plan run that skips them' }) day: string;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal'] }) trigger: string;
  @ApiProperty({ enum: ['relational'] }) stream: string;
  @ApiProperty() contactId: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() accountId: string;
  @ApiProperty({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ example: 'suppressed', description: 'the skip reason (libs/nps/README.md §4 "Skip reasons")' }) reason: string;
  @ApiProperty() why: string;
}

export class PlanPreviewDto {
  @ApiProperty({ description: 'the preview starts here (now)' }) from: Date;
  @ApiProperty({ description: 'and covers surveys scheduled before this' }) to: Date;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'as asked (?days)' }) days: number;
  @ApiProperty({ example: 'UTC' }) timeZone: string;
  @ApiProperty({ description: 'false while the program is a draft: nothing goes out until it is live' }) live: boolean;
  @ApiProperty({ type: [PlannedSurveyDto] }) surveys: PlannedSurveyDto[];
  @ApiProperty({ type: [SkippedPersonDto] }) skipped: SkippedPersonDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { '2026-11-03': 24 }, description: 'surveys per local day' })
  perDay: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { suppressed: 3, opted_out: 1 }, description: 'skips per reason' })
  perReason: Record<string, number>;
  @ApiProperty({ type: 'integer', description: 'pending quarterly surveys the plan would cancel for a pre_renewal survey' }) cancelled: number;
}

export class PlanRunDto {
  @ApiProperty({ type: 'integer', description: 'new surveys scheduled' }) scheduled: number;
  @ApiProperty({ type: 'integer', description: 'people skipped, each recorded with its reason' }) skipped: number;
  @ApiProperty({ type: 'integer', description: 'pending quarterly surveys cancelled by a pre_renewal survey' }) cancelled: number;
}
