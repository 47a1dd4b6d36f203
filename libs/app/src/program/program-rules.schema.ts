import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from '@libs/nps/src';
import { RULE_NUMBER_LIMITS } from '@libs/nps/src/settings-limits';

/**
 * The program rules in /docs: every rule with its type, range, default and meaning. Types and
 * defaults come from DEFAULT_PROGRAM_SETTINGS and ranges from RULE_NUMBER_LIMITS, the table that
 * validates a change, so the reference cannot drift from what PUT /api/program accepts; only the
 * words are written here, one per rule (a rule added without words fails to compile).
 */
const RULE_WORDS: Readonly<Record<keyof ProgramSettings, string>> = {
  enterpriseTiers: 'account tiers (compared case-insensitively, trimmed) that make an account enterprise',
  enterpriseArrThreshold: 'ARR at or above which an account is enterprise',
  arrBandLowerBounds: 'inclusive lower bound of each ARR band above under_10k, ascending',
  tenureBandUpperDays: 'inclusive upper bound in days of each tenure band below over_2y, ascending',
  ticketSendDelayHours: 'hours after a ticket is solved before its survey goes out (then into the next send window)',
  ticketTooLateAfterHours: 'a ticket survey not sendable by solved + this many hours is skipped too_late; not less than ticketSendDelayHours',
  preRenewalMinDaysAhead: 'pre-renewal window: fewest calendar days ahead of the renewal date (inclusive)',
  preRenewalMaxDaysAhead: 'pre-renewal window: most calendar days ahead of the renewal date (inclusive); not less than preRenewalMinDaysAhead',
  preRenewalFallbackMaxContacts: 'contacts surveyed at most before a renewal when an account has neither decision makers nor admins',
  suppressionWindowDays: 'nobody receives two surveys of any kind closer than this many days',
  surveyLinkValidDays: 'a survey link accepts answers until this many days after sending',
  sendDays: 'weekdays on which emails go out (monday … sunday, case-insensitive; at least one)',
  sendWindowStart: 'send window opening, local time "HH:MM" from 00:00 to 23:59 (inclusive)',
  sendWindowEnd: 'send window closing, local time "HH:MM" up to 24:00 (exclusive); later than sendWindowStart',
  timeZone: 'IANA time zone (e.g. "Europe/Berlin") the send window and the daily cap are local to',
  dailySendCap: 'at most this many survey emails per local day; what the cap pushes out waits for the next window',
  responseSettleMinutes: 'minutes after the last click before an answer without a comment settles',
  followUp: 'due time in hours after the response settles, and priority, of each follow-up task',
  preRenewalCheckInBelowScore: 'pre-renewal responses scoring below this get the renewal check-in task',
  enterpriseEscalation: 'enterprise detractors also get a leadership escalation (a live program then needs leadershipOwnerId)',
  leadershipOwnerId: 'CRM user id who owns leadership escalations; null when not configured',
  ticketDetractorTaskDueHours: 'due time in hours of the helpdesk task ticket created for a transactional detractor',
  loopClosureAlertBelowPercent: 'detractor loop closure (percent) below which an alert is raised',
  sentimentWindowDays: 'trailing days of responses that count for account sentiment and account NPS',
  roleGapFlagAbovePoints: 'a role gap (decision makers vs end users) strictly above this many NPS points flags the account',
  usageHighThreshold: 'a mapped usage value at or above this is high activity',
  arrTrendWindowDays: 'days of ARR history the activity axis compares',
  arrTrendHighGrowthPercent: 'ARR growth (percent) over that window at or above which activity is high',
  themeKeywords: 'keywords per theme: case-insensitive whole-word (or whole-phrase) matches tag a comment',
  emergingThemeMinDetractorComments: 'detractor comments in a quarter that flag a theme as emerging',
  significantDropPoints: 'a quarter-over-quarter NPS drop of at least this many points (and significant) raises an alert',
  decliningQuartersInARow: 'successive quarterly declines that raise an alert',
};

/** Amounts are exact decimal strings in cents, never floats (the ARR rules). */
const MONEY: SchemaObject = { type: 'string', pattern: '^\\d+(\\.\\d{1,2}0*)?$', description: 'an amount such as "100000.00", at least 0' };
const MONEY_RULES = ['enterpriseArrThreshold', 'arrBandLowerBounds.*'];

/** Whether a rule path matches a pattern of the limits table (`*` is any key of a group). */
function matches(pattern: string, path: string): boolean {
  const wanted = pattern.split('.');
  const parts = path.split('.');
  return wanted.length === parts.length && wanted.every((w, i) => w === '*' || w === parts[i]);
}

const limitOf = (path: string) => Object.entries(RULE_NUMBER_LIMITS).find(([pattern]) => matches(pattern, path))?.[1];

/** One rule (or group) from its default value: its type, its range, its default. */
function ruleSchema(path: string, value: unknown, required: boolean): SchemaObject {
  if (value === null) return { type: 'string', nullable: true, minLength: 1, default: null };
  if (Array.isArray(value)) return { type: 'array', items: { type: 'string', minLength: 1 }, default: value };
  if (typeof value === 'number') {
    const limit = limitOf(path);
    return { type: limit?.whole ? 'integer' : 'number', ...(limit ? { minimum: limit.min, maximum: limit.max } : {}), default: value };
  }
  if (typeof value === 'string') {
    if (MONEY_RULES.some((pattern) => matches(pattern, path))) return { ...MONEY, default: value };
    if (path.endsWith('.priority')) return { type: 'string', enum: ['high', 'normal', 'low'], default: value };
    return { type: 'string', minLength: 1, default: value };
  }
  if (typeof value === 'boolean') return { type: 'boolean', default: value };
  const entries = Object.entries(value as Record<string, unknown>);
  return {
    type: 'object',
    properties: Object.fromEntries(entries.map(([key, v]) => [key, ruleSchema(`${path}.${key}`, v, required)])),
    ...(required ? { required: entries.map(([key]) => key) } : {}),
    additionalProperties: false,
  };
}

/** `complete`: as GET answers it (every rule); otherwise as PUT takes it (any subset). */
function rulesSchema(complete: boolean): SchemaObject {
  const properties = Object.fromEntries(
    (Object.keys(RULE_WORDS) as Array<keyof ProgramSettings>).map((rule) => [
      rule,
      { ...ruleSchema(rule, DEFAULT_PROGRAM_SETTINGS[rule], complete), description: RULE_WORDS[rule] },
    ]),
  );
  return {
    type: 'object',
    description: complete
      ? 'every program rule, defaults filled in'
      : 'the rules to change, any subset (groups too: {"followUp": {"detractor": {"dueHours": 24}}}); the rest keep their value. A GET answer can be sent back as it is',
    properties,
    ...(complete ? { required: Object.keys(properties) } : {}),
    additionalProperties: false,
  };
}

export const PROGRAM_RULES_SCHEMA = 'ProgramRules';
export const PROGRAM_RULES_CHANGE_SCHEMA = 'ProgramRulesChange';

export function programRuleSchemas(): Record<string, SchemaObject> {
  return { [PROGRAM_RULES_SCHEMA]: rulesSchema(true), [PROGRAM_RULES_CHANGE_SCHEMA]: rulesSchema(false) };
}

export const programRulesRef = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
