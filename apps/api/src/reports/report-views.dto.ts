import { ApiProperty } from '@nestjs/swagger';
import { TrendPointDto } from './reports.dto';

/** The account and person views, as /docs describes them. */

export class ViewAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "the account's id in the CRM" }) externalId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) tier: string | null;
  @ApiProperty({ type: String, nullable: true, example: '120000.00' }) arr: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) renewalDate: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) customerSince: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'its CRM connection was removed' }) removed: boolean;
}

export class ViewHealthDto {
  @ApiProperty({ enum: ['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'] }) quadrant: string;
  @ApiProperty({ type: String, nullable: true, enum: ['promoter', 'passive', 'detractor'] }) sentiment: string | null;
  @ApiProperty({ type: Number, nullable: true }) relationalNps: number | null;
  @ApiProperty({ type: Number, nullable: true }) decisionMakerNps: number | null;
  @ApiProperty({ type: Number, nullable: true }) endUserNps: number | null;
  @ApiProperty({ type: Number, nullable: true }) roleGap: number | null;
  @ApiProperty() roleGapFlagged: boolean;
  @ApiProperty({ type: 'integer' }) responses12m: number;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) lastResponseDate: string | null;
  @ApiProperty({ enum: ['high', 'low', 'unknown'] }) activity: string;
  @ApiProperty({ example: 'usage' }) activityBasis: string;
  @ApiProperty({ format: 'date-time' }) computedAt: Date;
}

export class ViewAccountPersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: ['decision_maker', 'admin', 'end_user', 'other'] }) role: string;
  @ApiProperty() unsubscribed: boolean;
}

export class ViewAnswerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal', 'ticket_solved', 'onboarding'] }) trigger: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10 }) score: number;
  @ApiProperty({ enum: ['promoter', 'passive', 'detractor'] }) category: string;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ type: String, nullable: true, description: 'role stored with the response' }) role: string | null;
  @ApiProperty({ format: 'date-time' }) answeredAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'null while it may still change' }) settledAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) contactId: string | null;
}

export class ViewFollowUpDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) responseId: string;
  @ApiProperty({ example: 'detractor_call' }) kind: string;
  @ApiProperty({ enum: ['pending', 'open', 'completed', 'cancelled', 'failed', 'skipped'] }) status: string;
  @ApiProperty({ enum: ['high', 'normal', 'low'] }) priority: string;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) skipReason: string | null;
  @ApiProperty() targetSystem: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class ViewTrendStreamsDto {
  @ApiProperty({ type: [TrendPointDto] }) relational: TrendPointDto[];
  @ApiProperty({ type: [TrendPointDto] }) transactional: TrendPointDto[];
}

export class AccountViewDto {
  @ApiProperty({ type: ViewAccountDto }) account: ViewAccountDto;
  @ApiProperty({ type: ViewHealthDto, nullable: true, description: 'rules §7 health as last computed; null before the first computation' }) health: ViewHealthDto | null;
  @ApiProperty({ type: [ViewAccountPersonDto], description: 'its people and their roles, decision makers first' }) people: ViewAccountPersonDto[];
  @ApiProperty({ type: ViewTrendStreamsDto, description: 'NPS per quarter and stream of its settled responses' }) npsByQuarter: ViewTrendStreamsDto;
  @ApiProperty({ type: [ViewAnswerDto], description: 'its latest 200 responses, newest first' }) responses: ViewAnswerDto[];
  @ApiProperty({ type: [ViewFollowUpDto], description: 'the follow-ups of its responses, latest 200' }) followUps: ViewFollowUpDto[];
}

export class ViewPersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: ['decision_maker', 'admin', 'end_user', 'other'] }) role: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) accountId: string | null;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'when they unsubscribed (contact or email opt-out); null while they may be surveyed' })
  unsubscribedAt: Date | null;
}

export class ViewSurveyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal', 'ticket_solved', 'onboarding'] }) trigger: string;
  @ApiProperty({ enum: ['scheduled', 'sending', 'sent', 'answered', 'cancelled', 'skipped', 'failed'] }) status: string;
  @ApiProperty({ type: String, nullable: true, example: 'suppressed' }) skipReason: string | null;
  @ApiProperty({ format: 'date-time' }) scheduledAt: Date;
  @ApiProperty({ type: Date, nullable: true }) sentAt: Date | null;
}

export class PersonViewDto {
  @ApiProperty({ type: ViewPersonDto }) person: ViewPersonDto;
  @ApiProperty() unsubscribed: boolean;
  @ApiProperty({ type: [ViewAnswerDto], description: 'their answers, newest first' }) answers: ViewAnswerDto[];
  @ApiProperty({ type: [ViewSurveyDto], description: 'surveys sent to them, newest plan first' }) sent: ViewSurveyDto[];
  @ApiProperty({ type: [ViewSurveyDto], description: 'surveys skipped or cancelled, with the reason' }) skipped: ViewSurveyDto[];
  @ApiProperty({ type: ViewSurveyDto, nullable: true, description: 'the next survey planned for them, if any' }) nextPlanned: ViewSurveyDto | null;
}
