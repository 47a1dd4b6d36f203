import { ApiProperty } from '@nestjs/swagger';

/** What the export routes answer, as /docs describes them. */

const INSTANT = 'ISO 8601 UTC with microseconds, e.g. 2026-11-02T10:00:00.123456Z';

export class ExportedFollowUpDto {
  @ApiProperty({ example: 'detractor_call' }) kind: string;
  @ApiProperty({ enum: ['pending', 'open', 'completed', 'cancelled', 'failed', 'skipped'] }) status: string;
  @ApiProperty({ type: String, nullable: true, description: INSTANT }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: INSTANT }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'no_leadership_owner' }) skipReason: string | null;
}

export class ExportedResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['relational', 'transactional'], description: 'the stream: never mix the two when counting' }) stream: string;
  @ApiProperty({ enum: ['quarterly', 'pre_renewal', 'ticket_solved', 'onboarding'] }) trigger: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10 }) score: number;
  @ApiProperty({ enum: ['promoter', 'passive', 'detractor'] }) category: string;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: [String], example: ['performance'] }) themes: string[];
  @ApiProperty({ description: 'the respondent agreed to be a reference (promoters only)' }) referenceOptIn: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['decision_maker', 'admin', 'end_user', 'other'], description: 'role when answering' }) role: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'account tier when answering' }) tier: string | null;
  @ApiProperty({ type: String, nullable: true, example: '100k_500k', description: 'ARR band when answering' }) arrBand: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1_2y', description: 'tenure band when answering' }) tenureBand: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'an enterprise account when answering' }) enterprise: boolean | null;
  @ApiProperty({ description: `first answered; ${INSTANT}` }) answeredAt: string;
  @ApiProperty({ type: String, nullable: true, description: `null while the respondent may still change the answer; ${INSTANT}` }) settledAt: string | null;
  @ApiProperty({ description: `last change of the response (the feed's order); ${INSTANT}` }) updatedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) accountId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the account's id in the CRM" }) accountExternalId: string | null;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) contactId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the contact's id in the CRM" }) contactExternalId: string | null;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ type: [ExportedFollowUpDto], description: 'its follow-ups and their state when the row was read' }) followUps: ExportedFollowUpDto[];
}

export class ResponseFeedPageDto {
  @ApiProperty({ example: 'MjAyNi0xMS0wMlQxMDowMDowMC4xMjM0NTZafDZmMWMyZDNlLTRiNWEtNGM2ZC04ZTdmLTlhMGIxYzJkM2U0Zg', description: 'pass as since for the next page' })
  nextCursor: string;
  @ApiProperty({ type: [ExportedResponseDto], description: 'in cursor order; fewer than limit means the feed has caught up' })
  responses: ExportedResponseDto[];
}
