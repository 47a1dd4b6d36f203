import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the connection test and setup answer, as /docs describes them. */

export class ApiUsageDto {
  @ApiProperty({ example: 1200, description: 'API calls the vendor counted against the daily allocation' }) used: number;
  @ApiProperty({ example: 100000, description: 'the daily allocation' }) limit: number;
  @ApiProperty({ format: 'date-time', description: 'when the vendor reported it' }) at: string;
}

export class MissingFieldDto {
  @ApiProperty({ example: 'Account', description: "the vendor's object" }) object: string;
  @ApiProperty({ example: 'ARR__c', description: 'the mapped field the integration user cannot read' }) field: string;
  @ApiProperty({ example: 'fieldMapping.arr', description: 'the setting that maps it' }) setting: string;
}

export class ConnectionTestResultDto {
  @ApiProperty({ description: 'true when the vendor accepted the credentials and every mapped field is readable' }) ok: boolean;
  @ApiProperty({ description: 'false when the vendor refused the credentials (the connection becomes auth_failed)' }) authenticated: boolean;
  @ApiProperty({ nullable: true, type: String, description: "the vendor's own words when something failed" }) message: string | null;
  @ApiProperty({ type: [MissingFieldDto] }) missingFields: MissingFieldDto[];
}

export class ConnectionLastTestDto extends ConnectionTestResultDto {
  @ApiProperty({ description: 'when the test ran' }) testedAt: Date;
}

export class ManualFieldDto {
  @ApiProperty({ enum: ['account', 'contact'] }) object: string;
  @ApiProperty({ example: 'NPS_Relational__c', description: "the vendor's API name" }) name: string;
  @ApiProperty({ example: 'NPS (relational)' }) label: string;
  @ApiProperty({ enum: ['number', 'text', 'textarea', 'date', 'picklist'] }) type: string;
  @ApiPropertyOptional({ type: [String], description: 'picklist values' }) options?: string[];
  @ApiProperty() description: string;
  @ApiProperty({ description: 'why the admin must create it by hand (the API user may not)' }) reason: string;
}

export class CrmSetupFieldsDto {
  @ApiProperty({ type: [String], example: ['account.NPS_Relational__c'], description: 'fields created now' }) created: string[];
  @ApiProperty({ type: [String], description: 'fields that were there already' }) existing: string[];
  @ApiProperty({ type: [ManualFieldDto], description: 'fields the admin must create by hand' }) manual: ManualFieldDto[];
}

export class CrmSetupDto {
  @ApiProperty({ enum: ['crm'] }) kind: 'crm';
  @ApiProperty({ type: CrmSetupFieldsDto, description: 'the NPS fields of libs/nps/README.md §8 in the CRM' }) fields: CrmSetupFieldsDto;
}

export class HelpdeskSetupDto {
  @ApiProperty({ enum: ['helpdesk'] }) kind: 'helpdesk';
  @ApiProperty({ description: "the helpdesk's id of the webhook pointing at this service" }) webhookId: string;
  @ApiProperty({ description: "the helpdesk's id of the rule that calls the webhook when a ticket is solved (a trigger, an automation)" }) ruleId: string;
  @ApiProperty({ format: 'uri', example: 'https://nps.example.com/webhooks/helpdesk/6f1c…' }) webhookUrl: string;
  @ApiProperty({ example: '360000000001', description: "the helpdesk's id of the ticket field that receives scores, as text (kept in the connection's settings)" })
  scoreFieldId: string;
  @ApiProperty({ description: 'true when setup created the field, false when it found it' }) scoreFieldCreated: boolean;
}
