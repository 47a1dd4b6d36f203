/**
 * What an admin may set each program rule to. Numbers have a stated range (whole numbers where
 * they count days, hours, minutes, emails or people); money is an exact decimal; names and lists
 * are not empty. Every message names the rule's path as the API shows it (`rules.dailySendCap`),
 * so a refused change says which rule and what it accepts.
 */
import { toCents } from './money';
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from './settings';

export interface NumberLimit {
  readonly min: number;
  readonly max: number;
  /** True where the rule counts days, hours, minutes, emails or people. */
  readonly whole: boolean;
}

const whole = (min: number, max: number): NumberLimit => ({ min, max, whole: true });
const number = (min: number, max: number): NumberLimit => ({ min, max, whole: false });
/** 90 days in hours: the longest a follow-up or a late ticket survey may wait. */
const HOURS_90_DAYS = 2160;

/** Every numeric rule's range; `*` stands for any key of a group (a band, a follow-up case). */
export const RULE_NUMBER_LIMITS: Readonly<Record<string, NumberLimit>> = {
  'tenureBandUpperDays.*': whole(1, 36500),
  ticketSendDelayHours: whole(0, 720),
  ticketTooLateAfterHours: whole(1, HOURS_90_DAYS),
  preRenewalMinDaysAhead: whole(0, 730),
  preRenewalMaxDaysAhead: whole(1, 730),
  preRenewalFallbackMaxContacts: whole(1, 100),
  suppressionWindowDays: whole(0, 365),
  surveyLinkValidDays: whole(1, 365),
  dailySendCap: whole(1, 100_000),
  responseSettleMinutes: whole(1, 1440),
  'followUp.*.dueHours': whole(1, HOURS_90_DAYS),
  preRenewalCheckInBelowScore: whole(0, 10),
  ticketDetractorTaskDueHours: whole(1, HOURS_90_DAYS),
  loopClosureAlertBelowPercent: number(0, 100),
  sentimentWindowDays: whole(1, 3650),
  roleGapFlagAbovePoints: number(0, 200),
  usageHighThreshold: number(0, 1_000_000_000),
  arrTrendWindowDays: whole(1, 3650),
  arrTrendHighGrowthPercent: number(-100, 10_000),
  emergingThemeMinDetractorComments: whole(1, 10_000),
  significantDropPoints: number(0, 200),
  decliningQuartersInARow: whole(1, 20),
};

const PRIORITIES = ['high', 'normal', 'low'];
/** Longest text a rule holds (a CRM user id, a tier name, a keyword). */
const MAX_TEXT = 200;
const MAX_LIST = 500;
const WINDOW_TEXTS = ['sendWindowStart', 'sendWindowEnd', 'timeZone'];

function limitFor(path: string): NumberLimit | undefined {
  const parts = path.split('.');
  return Object.entries(RULE_NUMBER_LIMITS).find(([pattern]) => {
    const wanted = pattern.split('.');
    return wanted.length === parts.length && wanted.every((w, i) => w === '*' || w === parts[i]);
  })?.[1];
}

function numberError(path: string, value: unknown): string | null {
  const limit = limitFor(path);
  if (!limit) return typeof value === 'number' && Number.isFinite(value) ? null : `rules.${path}: must be a number`;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!limit.whole || Number.isInteger(value)) && value >= limit.min && value <= limit.max;
  return ok ? null : `rules.${path}: must be a ${limit.whole ? 'whole number' : 'number'} from ${limit.min} to ${limit.max}`;
}

function isMoney(value: string): boolean {
  try {
    return toCents(value) >= 0n && value.length <= 20;
  } catch {
    return false;
  }
}

function stringError(path: string, value: unknown, nullable: boolean): string | null {
  if (value === null && nullable) return null;
  const money = path === 'enterpriseArrThreshold' || path.startsWith('arrBandLowerBounds.');
  if (money) return typeof value === 'string' && isMoney(value) ? null : `rules.${path}: must be an amount such as "100000.00" (a decimal string, at least 0)`;
  if (path.endsWith('.priority')) return PRIORITIES.includes(value as string) ? null : `rules.${path}: must be one of ${PRIORITIES.join(', ')}`;
  // The send window's texts are judged by sendWindowErrors, which says what a time or zone looks like.
  if (WINDOW_TEXTS.includes(path)) return typeof value === 'string' && value.length <= MAX_TEXT ? null : `rules.${path}: must be a string`;
  const shape = nullable ? 'a non-empty text or null' : 'a non-empty text';
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) return `rules.${path}: must be ${shape} of at most ${MAX_TEXT} characters`;
  return null;
}

function listError(path: string, value: unknown): string | null {
  const ok = Array.isArray(value) && value.length <= MAX_LIST && value.every((v) => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT);
  return ok ? null : `rules.${path}: must be a list of non-empty texts (at most ${MAX_LIST}, each at most ${MAX_TEXT} characters)`;
}

/**
 * Every problem with an admin's rule overrides, each naming its path: unknown rules, wrong
 * types, numbers out of range, empty names. The shape follows the defaults, so the full rules a
 * GET answers are accepted back as they are.
 */
export function ruleOverrideErrors(value: unknown, defaults: unknown = DEFAULT_PROGRAM_SETTINGS, path = ''): string[] {
  const at = path ? `rules.${path}` : 'rules';
  if (defaults === null) return [stringError(path, value, true)].filter((e): e is string => e !== null);
  if (Array.isArray(defaults)) return [listError(path, value)].filter((e): e is string => e !== null);
  if (typeof defaults === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: must be an object`];
    return Object.entries(value).flatMap(([key, v]) =>
      Object.prototype.hasOwnProperty.call(defaults, key)
        ? ruleOverrideErrors(v, (defaults as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
        : [`${at}.${key}: is not a program setting`],
    );
  }
  if (typeof defaults === 'number') return [numberError(path, value)].filter((e): e is string => e !== null);
  if (typeof defaults === 'string') return [stringError(path, value, false)].filter((e): e is string => e !== null);
  return typeof value === typeof defaults ? [] : [`${at}: must be a ${typeof defaults}`];
}

/** Rules that must agree with each other once merged (each override may be fine alone). */
export function mergedRuleErrors(rules: ProgramSettings): string[] {
  const errors: string[] = [];
  if (rules.preRenewalMinDaysAhead > rules.preRenewalMaxDaysAhead) {
    errors.push(`rules.preRenewalMaxDaysAhead: must not be less than preRenewalMinDaysAhead (${rules.preRenewalMinDaysAhead})`);
  }
  if (rules.ticketTooLateAfterHours < rules.ticketSendDelayHours) {
    errors.push(`rules.ticketTooLateAfterHours: must not be less than ticketSendDelayHours (${rules.ticketSendDelayHours})`);
  }
  const tenure = Object.entries(rules.tenureBandUpperDays);
  for (let i = 1; i < tenure.length; i++) {
    if (tenure[i][1] <= tenure[i - 1][1]) errors.push(`rules.tenureBandUpperDays.${tenure[i][0]}: must be more than ${tenure[i - 1][0]} (${tenure[i - 1][1]})`);
  }
  const bands = Object.entries(rules.arrBandLowerBounds);
  for (let i = 1; i < bands.length; i++) {
    if (isMoney(bands[i][1]) && isMoney(bands[i - 1][1]) && toCents(bands[i][1]) <= toCents(bands[i - 1][1])) {
      errors.push(`rules.arrBandLowerBounds.${bands[i][0]}: must be more than ${bands[i - 1][0]} (${bands[i - 1][1]})`);
    }
  }
  return errors;
}
