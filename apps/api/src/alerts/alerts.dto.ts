import { ApiProperty } from '@nestjs/swagger';

/** The answers of the alert routes, as /docs describes them. */

export class AlertDeliveryDto {
  @ApiProperty({ enum: ['pending', 'delivering', 'delivered', 'failed'], description: 'pending includes waiting for a retry after an outage' })
  status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "the receiver's words for the last failure" }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) deliveredAt: string | null;
}

export class AlertDeliveriesDto {
  @ApiProperty({ type: AlertDeliveryDto, required: false, description: 'the email to the program alertEmails (absent when none were configured when it was raised)' })
  email?: AlertDeliveryDto;
  @ApiProperty({ type: AlertDeliveryDto, required: false, description: 'the post to the program slackWebhookUrl (absent when none was configured when it was raised)' })
  webhook?: AlertDeliveryDto;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'significant_drop:relational', description: 'what fired, without the period; raised once per cause and period' }) cause: string;
  @ApiProperty({ example: '2026-Q4', description: 'the calendar quarter it is about' }) period: string;
  @ApiProperty({ enum: ['significant_drop', 'declining_quarters', 'detractor_loop_closure', 'role_gap', 'emerging_theme', 'revenue_coverage'] }) kind: string;
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ example: 'relational detractor loop closure is 50 % (1 closed, 1 overdue) in 2026-Q4' }) message: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "the rule's exact numbers (e.g. previousNps, nps, drop and the significance test; rate, closed, overdue; accountId and gap; theme and detractorComments; share, coveredArr, activeArr)",
  })
  details: Record<string, unknown>;
  @ApiProperty({ enum: ['new', 'acknowledged'] }) state: string;
  @ApiProperty({ format: 'date-time' }) raisedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) acknowledgedAt: string | null;
  @ApiProperty({ type: AlertDeliveriesDto }) deliveries: AlertDeliveriesDto;
}
