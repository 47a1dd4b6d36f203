/**
 * Per-program settings: every default of the contract that an admin can change per program.
 * Rules marked "fixed" in the contract are constants in their own modules, not here.
 */
import type { SendWindow } from './send-window';
import type { ArrBand, Priority, TenureBand, Theme } from './types';

export interface FollowUpRule {
  readonly dueHours: number;
  readonly priority: Priority;
}

export interface ProgramSettings {
  // rules §3 people, roles, accounts
  /** Tiers (compared case-insensitively, trimmed) that make an account enterprise. */
  readonly enterpriseTiers: readonly string[];
  /** ARR at or above which an account is enterprise (decimal string, compared exactly). */
  readonly enterpriseArrThreshold: string;
  /** Inclusive lower bound of each ARR band above the first (decimal strings, ascending). */
  readonly arrBandLowerBounds: Readonly<Record<Exclude<ArrBand, 'under_10k'>, string>>;
  /** Inclusive upper bound in days of each tenure band below the last (ascending). */
  readonly tenureBandUpperDays: Readonly<Record<Exclude<TenureBand, 'over_2y'>, number>>;

  // rules §4 who gets a survey, and when
  readonly ticketSendDelayHours: number;
  /** A ticket survey not sendable by solved + this many hours is skipped `too_late` (inclusive). */
  readonly ticketTooLateAfterHours: number;
  /** Pre-renewal window, calendar days ahead of the renewal date, both ends inclusive. */
  readonly preRenewalMinDaysAhead: number;
  readonly preRenewalMaxDaysAhead: number;
  /** How many contacts at most when an account has neither decision makers nor admins. */
  readonly preRenewalFallbackMaxContacts: number;
  /** Suppression window (the rule itself is fixed): no two surveys closer than this. */
  readonly suppressionWindowDays: number;
  /** A survey link accepts answers until this many days after sending. */
  readonly surveyLinkValidDays: number;
  /** Send window: the weekdays (names, case-insensitive) on which emails go out. */
  readonly sendDays: readonly string[];
  /** Send window opening, local "HH:MM" (inclusive). */
  readonly sendWindowStart: string;
  /** Send window closing, local "HH:MM" (exclusive; "24:00" is midnight). */
  readonly sendWindowEnd: string;
  /** The program's IANA time zone: the send window and the daily cap's day are local to it. */
  readonly timeZone: string;
  /** At most this many survey emails per local day. */
  readonly dailySendCap: number;

  // rules §5 settling
  readonly responseSettleMinutes: number;

  // rules §6 closing the loop
  readonly followUp: {
    readonly detractor: FollowUpRule;
    readonly preRenewalCheckIn: FollowUpRule;
    readonly enterpriseEscalation: FollowUpRule;
    readonly passive: FollowUpRule;
    readonly promoter: FollowUpRule;
  };
  /** Pre-renewal responses with a score below this get the renewal check-in task. */
  readonly preRenewalCheckInBelowScore: number;
  /** Enterprise detractors also get a leadership escalation (which then needs its owner). */
  readonly enterpriseEscalation: boolean;
  /** CRM user who owns leadership escalations; null when not configured. */
  readonly leadershipOwnerId: string | null;
  /** Due of the helpdesk `task` ticket created for a transactional detractor. */
  readonly ticketDetractorTaskDueHours: number;
  /** Loop-closure rate (percent) below which an alert is raised. */
  readonly loopClosureAlertBelowPercent: number;

  // rules §7 account health
  readonly sentimentWindowDays: number;
  /** Role gap strictly above this many points flags the account. */
  readonly roleGapFlagAbovePoints: number;
  /** Usage at or above this is high activity. */
  readonly usageHighThreshold: number;
  readonly arrTrendWindowDays: number;
  /** ARR growth (percent) at or above which activity is high. */
  readonly arrTrendHighGrowthPercent: number;

  // rules §9 themes, trends, alerts
  readonly themeKeywords: Readonly<Record<Theme, readonly string[]>>;
  readonly emergingThemeMinDetractorComments: number;
  readonly significantDropPoints: number;
  readonly decliningQuartersInARow: number;
}

/** Default keyword rules per theme: case-insensitive whole-word (or whole-phrase) matches. */
export const DEFAULT_THEME_KEYWORDS: Readonly<Record<Theme, readonly string[]>> = {
  feature_gap: [
    'missing',
    'missing feature',
    'lacks',
    'lacking',
    'feature request',
    'feature requests',
    'wish it had',
    'would be nice',
    "doesn't support",
    'does not support',
    'not supported',
    'no way to',
    'roadmap',
    'limited functionality',
  ],
  performance: [
    'slow',
    'slower',
    'slowness',
    'sluggish',
    'lag',
    'laggy',
    'latency',
    'performance',
    'speed',
    'timeout',
    'timeouts',
    'times out',
    'crash',
    'crashes',
    'crashing',
    'downtime',
    'outage',
    'outages',
    'load time',
    'loading',
  ],
  support_quality: [
    'support team',
    'customer support',
    'tech support',
    'technical support',
    'support staff',
    'support agent',
    'customer service',
    'helpdesk',
    'help desk',
    'ticket',
    'tickets',
    'response time',
    'unresponsive',
    'no response',
    'agent',
    'agents',
  ],
  pricing: [
    'price',
    'prices',
    'pricing',
    'expensive',
    'overpriced',
    'cost',
    'costs',
    'costly',
    'cheaper',
    'budget',
    'billing',
    'invoice',
    'license fee',
    'subscription fee',
    'value for money',
  ],
  competitor: ['competitor', 'competitors', 'competition', 'alternative', 'alternatives', 'switch to', 'switching to', 'moving to', 'migrate to', 'other vendor', 'other vendors'],
  integration_request: [
    'integration',
    'integrations',
    'integrate',
    'integrates',
    'api',
    'webhook',
    'webhooks',
    'connector',
    'connectors',
    'sync',
    'syncing',
    'zapier',
    'slack',
    'jira',
    'salesforce',
    'hubspot',
    'sso',
  ],
};

export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = {
  enterpriseTiers: ['enterprise'],
  enterpriseArrThreshold: '100000.00',
  arrBandLowerBounds: {
    '10k_50k': '10000.00',
    '50k_100k': '50000.00',
    '100k_500k': '100000.00',
    '500k_plus': '500000.00',
  },
  tenureBandUpperDays: { '0_90d': 90, '91_180d': 180, '181_365d': 365, '1_2y': 730 },

  ticketSendDelayHours: 24,
  ticketTooLateAfterHours: 72,
  preRenewalMinDaysAhead: 60,
  preRenewalMaxDaysAhead: 90,
  preRenewalFallbackMaxContacts: 5,
  suppressionWindowDays: 30,
  surveyLinkValidDays: 30,
  sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  sendWindowStart: '09:00',
  sendWindowEnd: '11:00',
  timeZone: 'UTC',
  dailySendCap: 500,

  responseSettleMinutes: 30,

  followUp: {
    detractor: { dueHours: 48, priority: 'high' },
    preRenewalCheckIn: { dueHours: 24, priority: 'high' },
    enterpriseEscalation: { dueHours: 48, priority: 'high' },
    passive: { dueHours: 7 * 24, priority: 'normal' },
    promoter: { dueHours: 7 * 24, priority: 'low' },
  },
  preRenewalCheckInBelowScore: 7,
  enterpriseEscalation: true,
  leadershipOwnerId: null,
  ticketDetractorTaskDueHours: 48,
  loopClosureAlertBelowPercent: 70,

  sentimentWindowDays: 365,
  roleGapFlagAbovePoints: 15,
  usageHighThreshold: 50,
  arrTrendWindowDays: 180,
  arrTrendHighGrowthPercent: 5,

  themeKeywords: DEFAULT_THEME_KEYWORDS,
  emergingThemeMinDetractorComments: 5,
  significantDropPoints: 4,
  decliningQuartersInARow: 3,
};

/** The program's send window, as the send-window functions take it. */
export function sendWindowOf(settings: ProgramSettings): SendWindow {
  return { days: settings.sendDays, start: settings.sendWindowStart, end: settings.sendWindowEnd, timeZone: settings.timeZone };
}

/** Overrides for a program: any top-level field, and any part of the nested groups. */
export type ProgramSettingsOverrides = Partial<Omit<ProgramSettings, 'followUp' | 'themeKeywords' | 'arrBandLowerBounds' | 'tenureBandUpperDays'>> & {
  readonly followUp?: Partial<{ [K in keyof ProgramSettings['followUp']]: Partial<FollowUpRule> }>;
  readonly themeKeywords?: Partial<Record<Theme, readonly string[]>>;
  readonly arrBandLowerBounds?: Partial<ProgramSettings['arrBandLowerBounds']>;
  readonly tenureBandUpperDays?: Partial<ProgramSettings['tenureBandUpperDays']>;
};

/** Builds a program's settings from the defaults and an admin's overrides (pure merge). */
export function programSettings(overrides: ProgramSettingsOverrides = {}, base: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): ProgramSettings {
  const { followUp, themeKeywords, arrBandLowerBounds, tenureBandUpperDays, ...flat } = overrides;
  const mergedFollowUp = { ...base.followUp };
  for (const key of Object.keys(followUp ?? {}) as (keyof ProgramSettings['followUp'])[]) {
    mergedFollowUp[key] = { ...base.followUp[key], ...followUp?.[key] };
  }
  return {
    ...base,
    ...stripUndefined(flat),
    followUp: mergedFollowUp,
    themeKeywords: { ...base.themeKeywords, ...stripUndefined(themeKeywords ?? {}) },
    arrBandLowerBounds: { ...base.arrBandLowerBounds, ...stripUndefined(arrBandLowerBounds ?? {}) },
    tenureBandUpperDays: { ...base.tenureBandUpperDays, ...stripUndefined(tenureBandUpperDays ?? {}) },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
