import { ApiProperty } from '@nestjs/swagger';
import { NpsIntervalDto, NpsSummaryDto } from './reports.dto';

/** The answers of the account-level reports (rules §7, §9 "Beyond the score"), as /docs describes them. */

export class RoleGapAccountDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ type: NpsSummaryDto, description: "decision makers' latest answers" }) decisionMakers: NpsSummaryDto;
  @ApiProperty({ type: NpsSummaryDto, description: "end users' latest answers" }) endUsers: NpsSummaryDto;
  @ApiProperty({ description: '|decision-maker NPS − end-user NPS|, exact' }) gap: number;
  @ApiProperty({ type: 'integer', description: 'the gap rounded once, half away from zero (37.5 → 38)' }) displayGap: number;
  @ApiProperty({ description: 'gap > the flag threshold (15 points by default)' }) flagged: boolean;
}

export class RoleGapReportDto {
  @ApiProperty({ enum: ['relational'] }) stream: string;
  @ApiProperty({ format: 'date-time', description: 'the end of the trailing 365-day window' }) asOf: string;
  @ApiProperty({ example: 15 }) flagAbovePoints: number;
  @ApiProperty({ type: 'integer', description: 'accounts flagged' }) flagged: number;
  @ApiProperty({ type: 'integer', description: 'accounts in all (the listed ones are one page of them)' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: [RoleGapAccountDto], description: 'one page (by account id) of the accounts with both decision makers and end users heard' })
  accounts: RoleGapAccountDto[];
}

export class AccountSentimentDto {
  @ApiProperty({ enum: ['promoter', 'passive', 'detractor'] }) category: string;
  @ApiProperty() meanScore: number;
  @ApiProperty({ enum: ['decision_makers', 'all_respondents'] }) basis: string;
  @ApiProperty({ type: 'integer' }) respondents: number;
}

export class AccountDistributionEntryDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ type: AccountSentimentDto, description: 'the class the account counts as' }) sentiment: AccountSentimentDto;
  @ApiProperty({ type: NpsSummaryDto, description: "the account's NPS (each person's latest answer)" }) accountNps: NpsSummaryDto;
}

export class AccountDistributionReportDto {
  @ApiProperty({ enum: ['relational'] }) stream: string;
  @ApiProperty({ format: 'date-time', description: 'the end of the trailing 365-day window' }) asOf: string;
  @ApiProperty({ type: NpsSummaryDto, description: 'NPS over accounts (n = accounts), each classed by its sentiment' }) accountNps: NpsSummaryDto;
  @ApiProperty({ type: NpsSummaryDto, description: 'NPS over the same respondents (each person once)' }) respondentNps: NpsSummaryDto;
  @ApiProperty({ type: 'integer', description: 'accounts in all (the listed ones are one page of them)' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: [AccountDistributionEntryDto], description: 'one page (by account id) of the accounts heard' }) accounts: AccountDistributionEntryDto[];
}

export class WeightedNpsDto {
  @ApiProperty({ enum: ['relational', 'transactional'] }) stream: string;
  @ApiProperty({ type: 'integer' }) respondents: number;
  @ApiProperty({ type: 'integer', description: 'respondents with a weight above 0 (an account with ARR)' }) weightedRespondents: number;
  @ApiProperty({ description: 'Σw: the ARR of the accounts that responded' }) totalWeight: number;
  @ApiProperty({ type: Number, nullable: true }) promoterShare: number | null;
  @ApiProperty({ type: Number, nullable: true }) passiveShare: number | null;
  @ApiProperty({ type: Number, nullable: true }) detractorShare: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '100 × (promoter share − detractor share)' }) nps: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Kish effective sample size (Σw)² / Σw²: the n shown' }) kishN: number | null;
  @ApiProperty({ type: Number, nullable: true }) adjustedNps: number | null;
  @ApiProperty({ type: Number, nullable: true }) standardError: number | null;
  @ApiProperty({ type: NpsIntervalDto, nullable: true }) interval: NpsIntervalDto | null;
  @ApiProperty({ description: 'Kish n < 30 (or undefined)' }) lowSample: boolean;
}

export class ArrWeightedStreamDto {
  @ApiProperty({ type: WeightedNpsDto }) weighted: WeightedNpsDto;
  @ApiProperty({ type: NpsSummaryDto, description: 'the unweighted NPS of the same responses' }) respondents: NpsSummaryDto;
}

export class ArrWeightedStreamsDto {
  @ApiProperty({ type: ArrWeightedStreamDto }) relational: ArrWeightedStreamDto;
  @ApiProperty({ type: ArrWeightedStreamDto }) transactional: ArrWeightedStreamDto;
}

export class ArrWeightedReportDto {
  @ApiProperty({ type: ArrWeightedStreamsDto }) streams: ArrWeightedStreamsDto;
}

export class RevenueCoverageReportDto {
  @ApiProperty({ enum: ['relational'] }) stream: string;
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ type: 'integer', example: 90 }) windowDays: number;
  @ApiProperty({ example: 80 }) targetPercent: number;
  @ApiProperty({ example: '300000.00', description: 'ARR of active accounts (decimal string)' }) activeArr: string;
  @ApiProperty({ example: '250000.00', description: 'of it, accounts with a decision maker heard in the window' }) coveredArr: string;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'covered / active; null when active ARR is 0' }) share: number | null;
  @ApiProperty() belowTarget: boolean;
  @ApiProperty({ type: 'integer', description: 'active accounts' }) activeAccounts: number;
  @ApiProperty({ type: 'integer', description: 'of them, with a decision maker heard in the window' }) coveredAccounts: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: [String], description: 'one page (by id) of the covered accounts' }) coveredAccountIds: string[];
  @ApiProperty({ type: [String], description: 'one page (by id) of the accounts not covered' }) uncoveredAccountIds: string[];
}

export class ArrBandLineDto {
  @ApiProperty({ enum: ['under_10k', '10k_50k', '50k_100k', '100k_500k', '500k_plus', 'unknown'] }) arrBand: string;
  @ApiProperty({ type: NpsSummaryDto }) summary: NpsSummaryDto;
}

export class QuadrantLineDto {
  @ApiProperty({ enum: ['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'] }) quadrant: string;
  @ApiProperty({ type: 'integer', description: 'active accounts in the quadrant' }) accounts: number;
  @ApiProperty({ example: '120000.00', description: 'their ARR (decimal string)' }) arr: string;
  @ApiProperty({ type: NpsSummaryDto, description: "their responses' NPS" }) summary: NpsSummaryDto;
}

export class NpsByArrStreamDto {
  @ApiProperty({ type: [ArrBandLineDto] }) byBand: ArrBandLineDto[];
  @ApiProperty({ type: [QuadrantLineDto] }) byQuadrant: QuadrantLineDto[];
}

export class NpsByArrStreamsDto {
  @ApiProperty({ type: NpsByArrStreamDto }) relational: NpsByArrStreamDto;
  @ApiProperty({ type: NpsByArrStreamDto }) transactional: NpsByArrStreamDto;
}

export class NpsByArrReportDto {
  @ApiProperty({ type: NpsByArrStreamsDto }) streams: NpsByArrStreamsDto;
}
