import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** The answers of /api/reports/*, as /docs describes them. Every report is per stream (rules §2). */

const STREAM = { enum: ['relational', 'transactional'] };

export class NpsIntervalDto {
  @ApiProperty({ minimum: -100, maximum: 100 }) low: number;
  @ApiProperty({ minimum: -100, maximum: 100 }) high: number;
}

export class NpsSummaryDto {
  @ApiProperty(STREAM) stream: string;
  @ApiProperty({ type: 'integer' }) n: number;
  @ApiProperty({ type: 'integer' }) promoters: number;
  @ApiProperty({ type: 'integer' }) passives: number;
  @ApiProperty({ type: 'integer' }) detractors: number;
  @ApiProperty({ type: Number, nullable: true, description: 'exact 100 × (P − D) / n, not rounded; null when n = 0' }) nps: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "adjusted-Wald NPS' (the interval's centre)" }) adjustedNps: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'adjusted-Wald standard error in points' }) standardError: number | null;
  @ApiProperty({ type: NpsIntervalDto, nullable: true, description: "95 % adjusted-Wald interval NPS' ± 1.96·SE, clipped to [−100, 100]" })
  interval: NpsIntervalDto | null;
  @ApiProperty({ description: 'n < 30' }) lowSample: boolean;
}

export class SignificanceDto {
  @ApiProperty({ description: 'NPS of this period − NPS of the one before (exact values)' }) change: number;
  @ApiProperty({ description: "NPS'₂ − NPS'₁ (adjusted values)" }) adjustedChange: number;
  @ApiProperty({ description: '1.96 × √(SE₁² + SE₂²)' }) threshold: number;
  @ApiProperty({ description: '|adjustedChange| > threshold' }) significant: boolean;
}

export class TrendPointDto {
  @ApiProperty({ example: '2026-Q1', description: 'YYYY-MM or YYYY-Qn (UTC)' }) period: string;
  @ApiProperty({ type: NpsSummaryDto }) summary: NpsSummaryDto;
  @ApiProperty({ type: SignificanceDto, nullable: true, description: 'null for the first period or when either period has n = 0' })
  change: SignificanceDto | null;
}

export class TrendStreamsDto {
  @ApiProperty({ type: [TrendPointDto] }) relational: TrendPointDto[];
  @ApiProperty({ type: [TrendPointDto] }) transactional: TrendPointDto[];
}

export class TrendReportDto {
  @ApiProperty({ enum: ['month', 'quarter'] }) granularity: string;
  @ApiProperty({ type: TrendStreamsDto }) streams: TrendStreamsDto;
}

const byValue = (description: string, example: string) => ({
  type: 'object' as const,
  additionalProperties: { $ref: getSchemaPath(NpsSummaryDto) },
  description,
  example: { [example]: {} },
});

@ApiExtraModels(NpsSummaryDto)
export class SegmentsDto {
  @ApiProperty(byValue('per account tier stored with the response', 'enterprise')) tier: Record<string, NpsSummaryDto>;
  @ApiProperty(byValue('per ARR band stored with the response', '100k_500k')) arrBand: Record<string, NpsSummaryDto>;
  @ApiProperty(byValue('per tenure band stored with the response', '1_2y')) tenureBand: Record<string, NpsSummaryDto>;
  @ApiProperty(byValue("per respondent's role stored with the response", 'decision_maker')) role: Record<string, NpsSummaryDto>;
  @ApiProperty(byValue("per account's current health quadrant", 'champion')) quadrant: Record<string, NpsSummaryDto>;
}

export class SegmentStreamsDto {
  @ApiProperty({ type: SegmentsDto }) relational: SegmentsDto;
  @ApiProperty({ type: SegmentsDto }) transactional: SegmentsDto;
}

export class SegmentReportDto {
  @ApiProperty({ type: SegmentStreamsDto, description: 'a missing segment value counts as "unknown"' }) streams: SegmentStreamsDto;
}

export class ResponseRateDto {
  @ApiProperty({ type: 'integer', description: 'surveys sent in the range' }) sent: number;
  @ApiProperty({ type: 'integer', description: 'of those, the ones answered' }) responses: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'responses / sent; null when nothing was sent' }) rate: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { suppressed: 3, too_late: 1 },
    description: 'skipped or cancelled surveys planned in the range, by reason',
  })
  skipsByReason: Record<string, number>;
}

export class ResponseRateStreamsDto {
  @ApiProperty({ type: ResponseRateDto }) relational: ResponseRateDto;
  @ApiProperty({ type: ResponseRateDto }) transactional: ResponseRateDto;
}

export class ResponseRateReportDto {
  @ApiProperty({ type: ResponseRateStreamsDto }) streams: ResponseRateStreamsDto;
}

export class ThemeLineDto {
  @ApiProperty({ enum: ['feature_gap', 'performance', 'support_quality', 'pricing', 'competitor', 'integration_request'] }) theme: string;
  @ApiProperty({ type: NpsSummaryDto, description: 'the responses carrying the theme, counted by category' }) summary: NpsSummaryDto;
  @ApiProperty({ description: 'detractor comments with the theme in the quarter ≥ the emerging threshold' }) emerging: boolean;
}

export class ThemeQuarterDto {
  @ApiProperty({ example: '2026-Q1' }) quarter: string;
  @ApiProperty({ type: [ThemeLineDto] }) themes: ThemeLineDto[];
}

export class ThemeStreamsDto {
  @ApiProperty({ type: [ThemeQuarterDto] }) relational: ThemeQuarterDto[];
  @ApiProperty({ type: [ThemeQuarterDto] }) transactional: ThemeQuarterDto[];
}

export class ThemeReportDto {
  @ApiProperty({ type: 'integer', example: 5 }) emergingAtDetractorComments: number;
  @ApiProperty({ type: ThemeStreamsDto }) streams: ThemeStreamsDto;
}
