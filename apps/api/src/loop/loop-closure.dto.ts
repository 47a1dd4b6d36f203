import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** The answers of the loop-closure, write-back and response routes, as /docs describes them. */

export class LoopClosureDto {
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ type: 'integer', description: 'follow-ups closed' }) closed: number;
  @ApiProperty({ type: 'integer', description: 'not closed and past due' }) overdue: number;
  @ApiProperty({ type: 'integer', description: 'not closed and not yet due (counted on neither side)' }) open: number;
  @ApiProperty({ type: 'integer', description: 'closed by their due time' }) slaMet: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'closed / (closed + overdue); null when both are 0' })
  rate: number | null;
  @ApiProperty({ description: 'the rate is below the program rule loopClosureAlertBelowPercent' }) belowAlertThreshold: boolean;
}

const byValue = (description: string, example: Record<string, unknown>) => ({
  type: 'object' as const,
  additionalProperties: { $ref: getSchemaPath(LoopClosureDto) },
  description,
  example,
});

export class LoopClosureSegmentsDto {
  @ApiProperty(byValue('per account tier at the time of the response', { enterprise: {} })) tier: Record<string, LoopClosureDto>;
  @ApiProperty(byValue('per ARR band', { '100k_500k': {} })) arrBand: Record<string, LoopClosureDto>;
  @ApiProperty(byValue('per tenure band', { '1_2y': {} })) tenureBand: Record<string, LoopClosureDto>;
  @ApiProperty(byValue('per role', { decision_maker: {} })) role: Record<string, LoopClosureDto>;
}

export class LoopClosureByCategoryDto {
  @ApiProperty({ type: LoopClosureDto }) detractor: LoopClosureDto;
  @ApiProperty({ type: LoopClosureDto }) passive: LoopClosureDto;
  @ApiProperty({ type: LoopClosureDto }) promoter: LoopClosureDto;
}

@ApiExtraModels(LoopClosureDto)
export class StreamLoopClosureDto {
  @ApiProperty({ type: LoopClosureDto }) overall: LoopClosureDto;
  @ApiProperty({ type: LoopClosureByCategoryDto }) byCategory: LoopClosureByCategoryDto;
  @ApiProperty({ type: LoopClosureSegmentsDto, description: 'segments missing on a response count as "unknown"' }) bySegment: LoopClosureSegmentsDto;
}

export class LoopClosureStreamsDto {
  @ApiProperty({ type: StreamLoopClosureDto }) relational: StreamLoopClosureDto;
  @ApiProperty({ type: StreamLoopClosureDto }) transactional: StreamLoopClosureDto;
}

export class LoopClosureReportDto {
  @ApiProperty({ format: 'date-time', description: 'when the rates were computed' }) at: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'follow-ups created on or after this date' }) from: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'follow-ups created on or before this date' }) to: string | null;
  @ApiProperty({ type: LoopClosureStreamsDto }) streams: LoopClosureStreamsDto;
  @ApiProperty({ type: [String], example: ['relational detractor loop closure is 50 % (2 closed, 2 overdue), below 70 %'] }) alerts: string[];
}

export class WriteBackCountDto {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ description: 'the connection name' }) connection: string;
  @ApiProperty({ example: 'createTask' }) operation: string;
  @ApiProperty({ enum: ['pending', 'delivering', 'delivered', 'failed', 'cancelled'] }) status: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class WriteBackDto {
  @ApiProperty({ example: '42', description: 'the write-back id (a number, as a string)' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ example: 'createTask' }) operation: string;
  @ApiProperty({ enum: ['pending', 'delivering', 'failed'] }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "the vendor's words for the last failure" }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: Date;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) followUpId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what is to be written' }) payload: Record<string, unknown>;
}

export class SkippedFollowUpCountDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) connectionId: string | null;
  @ApiProperty({ type: String, nullable: true }) connection: string | null;
  @ApiProperty({ example: 'enterprise_escalation' }) kind: string;
  @ApiProperty({ example: 'no_leadership_owner' }) reason: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class SkippedFollowUpDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) responseId: string;
  @ApiProperty({ example: 'enterprise_escalation' }) kind: string;
  @ApiProperty({ example: 'no_leadership_owner' }) reason: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) connectionId: string | null;
  @ApiProperty() targetSystem: string;
  @ApiProperty() subject: string;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, nullable: true }) accountExternalId: string | null;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
}

export class WriteBacksDto {
  @ApiProperty({ type: [WriteBackCountDto], description: 'every write-back counted per connection, operation and status' }) summary: WriteBackCountDto[];
  @ApiPropertyOptional({ type: [WriteBackDto], description: 'with status=failed: the latest 100 failed ones' }) failed?: WriteBackDto[];
  @ApiPropertyOptional({ type: [WriteBackDto], description: 'with status=pending: the latest 100 pending or delivering ones' }) pending?: WriteBackDto[];
  @ApiProperty({ type: [SkippedFollowUpCountDto], description: 'follow-ups never written, per connection, kind and reason' }) skippedSummary: SkippedFollowUpCountDto[];
  @ApiProperty({ type: [SkippedFollowUpDto], description: 'the latest 100 of them' }) skipped: SkippedFollowUpDto[];
}

export class FollowUpDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'detractor_call' }) kind: string;
  @ApiProperty({ enum: ['pending', 'open', 'completed', 'cancelled', 'failed', 'skipped'] }) status: string;
  @ApiProperty({ enum: ['high', 'normal', 'low'] }) priority: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: ['account_owner', 'leadership', 'helpdesk_group'] }) ownerKind: string;
  @ApiProperty({ type: String, nullable: true }) ownerExternalId: string | null;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty({ description: 'where the task or ticket lives' }) targetSystem: string;
  @ApiProperty({ type: String, nullable: true, description: "the task's or ticket's id in the vendor" }) externalId: string | null;
  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'no_leadership_owner' }) skipReason: string | null;
}

export class ResponseDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal', 'ticket_solved', 'onboarding'] }) trigger: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10 }) score: number;
  @ApiProperty({ enum: ['promoter', 'passive', 'detractor'] }) category: string;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: [String], example: ['performance'] }) themes: string[];
  @ApiProperty({ description: 'the respondent agreed to be a reference' }) referenceOptIn: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['decision_maker', 'admin', 'end_user', 'other'] }) role: string | null;
  @ApiProperty({ type: String, nullable: true }) tier: string | null;
  @ApiProperty({ type: String, nullable: true }) arrBand: string | null;
  @ApiProperty({ type: String, nullable: true }) tenureBand: string | null;
  @ApiProperty() answeredAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'null while the respondent may still change the answer' }) settledAt: Date | null;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what the survey was about (e.g. the ticket)' }) surveyContext: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
  @ApiProperty({ type: String, nullable: true }) accountExternalId: string | null;
  @ApiProperty({ type: String, nullable: true }) contactExternalId: string | null;
  @ApiProperty({ type: [FollowUpDto] }) followUps: FollowUpDto[];
}
