import { ARR_BANDS, DEFAULT_PROGRAM_SETTINGS, ProgramSettings, THEMES } from '@libs/nps/src';
import { RULE_NUMBER_LIMITS } from '@libs/nps/src/settings-limits';

/**
 * Every program setting as the console's settings form shows it: its label, what it means, how it
 * is typed. A setting's `name` is its path in the admin API (`rules.dailySendCap`), which is also
 * the form field's name, so the service's messages (`rules.dailySendCap: must be …`) land beside
 * the field they name.
 */

export type SettingKind =
  'text' | 'email' | 'whole' | 'number' | 'amount' | 'time' | 'timeZone' | 'lines' | 'emails' | 'weekdays' | 'onOff' | 'optionalText' | 'optionalUrl' | 'priority';

export interface Setting {
  /** The path in GET/PUT /api/program, and the form field's name. */
  name: string;
  label: string;
  hint: string;
  kind: SettingKind;
  /** Settings sharing this are shown together in a fieldset with it as legend (the follow-up cases). */
  within?: string;
}

export interface SettingGroup {
  id: string;
  title: string;
  about: string;
  settings: Setting[];
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const PRIORITIES = ['high', 'normal', 'low'] as const;

const matches = (pattern: string, path: string) => {
  const wanted = pattern.split('.');
  const parts = path.split('.');
  return wanted.length === parts.length && wanted.every((w, i) => w === '*' || w === parts[i]);
};
const COUNT = new Intl.NumberFormat('en');

/** "From 1 to 100,000.": the range the service accepts, from the table that validates it. */
function rangeOf(name: string): string {
  const limit = Object.entries(RULE_NUMBER_LIMITS).find(([pattern]) => matches(pattern, name.replace(/^rules\./, '')))?.[1];
  return limit ? ` ${limit.whole ? 'A whole number from' : 'From'} ${COUNT.format(limit.min)} to ${COUNT.format(limit.max)}.` : '';
}

const rule = (key: string, kind: SettingKind, label: string, hint: string, within?: string): Setting => ({
  name: `rules.${key}`,
  kind,
  label,
  hint: kind === 'whole' || kind === 'number' ? `${hint}${rangeOf(key)}` : hint,
  within,
});

const FOLLOW_UP_CASES: Record<keyof ProgramSettings['followUp'], string> = {
  detractor: 'Detractor call (relational detractor)',
  preRenewalCheckIn: 'Pre-renewal check-in (score below the threshold)',
  enterpriseEscalation: 'Enterprise escalation (to the leadership owner)',
  passive: 'Passive: what would make it a 9 or 10',
  promoter: 'Promoter: advocacy ask',
};

const ARR_BAND_NAMES: Record<string, string> = { '10k_50k': '10k–50k', '50k_100k': '50k–100k', '100k_500k': '100k–500k', '500k_plus': '500k and more' };
const TENURE_BAND_NAMES: Record<string, string> = { '0_90d': '0–90 days', '91_180d': '91–180 days', '181_365d': '181–365 days', '1_2y': '1–2 years' };
const THEME_NAMES: Record<string, string> = {
  feature_gap: 'Feature gap',
  performance: 'Performance',
  support_quality: 'Support quality',
  pricing: 'Pricing',
  competitor: 'Competitor',
  integration_request: 'Integration request',
};

/** Each rule's settings: typed by rule so that a rule added to the program without a place in the form does not compile. */
const RULE_SETTINGS: { [K in keyof ProgramSettings]: Setting[] } = {
  sendDays: [rule('sendDays', 'weekdays', 'Send days', 'Weekdays on which survey emails go out.')],
  sendWindowStart: [rule('sendWindowStart', 'time', 'Window opens', 'Local time, "HH:MM" from 00:00 to 23:59.')],
  sendWindowEnd: [rule('sendWindowEnd', 'time', 'Window closes', 'Local time, "HH:MM" up to 24:00, later than the opening; emails go out before it.')],
  timeZone: [rule('timeZone', 'timeZone', 'Time zone', 'An IANA time zone such as Europe/Berlin or America/New_York: the window and the daily cap are local to it.')],
  dailySendCap: [rule('dailySendCap', 'whole', 'Daily send cap', 'At most this many survey emails per local day; the rest wait for the next window, oldest first.')],

  ticketSendDelayHours: [
    rule('ticketSendDelayHours', 'whole', 'Ticket survey delay (hours)', 'Hours after a ticket is solved before its survey goes out, then at the next send window.'),
  ],
  ticketTooLateAfterHours: [
    rule(
      'ticketTooLateAfterHours',
      'whole',
      'Ticket survey too late after (hours)',
      'A ticket survey that cannot go out by solved + this many hours is skipped as too late; at least the delay.',
    ),
  ],
  preRenewalMinDaysAhead: [rule('preRenewalMinDaysAhead', 'whole', 'Pre-renewal window starts (days ahead)', 'Fewest calendar days before the renewal date (included).')],
  preRenewalMaxDaysAhead: [
    rule('preRenewalMaxDaysAhead', 'whole', 'Pre-renewal window ends (days ahead)', 'Most calendar days before the renewal date (included); not less than the start.'),
  ],
  preRenewalFallbackMaxContacts: [
    rule(
      'preRenewalFallbackMaxContacts',
      'whole',
      'Pre-renewal contacts without decision makers or admins',
      'How many of its contacts are surveyed at most when an account has neither.',
    ),
  ],
  suppressionWindowDays: [rule('suppressionWindowDays', 'whole', 'Suppression window (days)', 'Nobody receives two surveys of any kind closer than this many days.')],
  surveyLinkValidDays: [rule('surveyLinkValidDays', 'whole', 'Survey links accept answers for (days)', 'After this many days a score link shows that it has expired.')],
  responseSettleMinutes: [
    rule(
      'responseSettleMinutes',
      'whole',
      'An answer settles after (minutes)',
      'An answer without a comment settles, and its follow-ups start, this many minutes after the last click.',
    ),
  ],

  followUp: (Object.keys(FOLLOW_UP_CASES) as Array<keyof ProgramSettings['followUp']>).flatMap((key) => [
    rule(`followUp.${key}.dueHours`, 'whole', 'Due after (hours)', 'Hours after the answer settles.', FOLLOW_UP_CASES[key]),
    rule(`followUp.${key}.priority`, 'priority', 'Priority', 'The task’s priority in the CRM.', FOLLOW_UP_CASES[key]),
  ]),
  preRenewalCheckInBelowScore: [
    rule(
      'preRenewalCheckInBelowScore',
      'whole',
      'Pre-renewal check-in below score',
      'A pre-renewal answer below this score gets the renewal check-in instead of the detractor call.',
    ),
  ],
  enterpriseEscalation: [
    rule(
      'enterpriseEscalation',
      'onOff',
      'Escalate enterprise detractors',
      'Relational detractors of enterprise accounts also get a task for the leadership owner. While on, a live program needs the owner.',
    ),
  ],
  leadershipOwnerId: [
    rule(
      'leadershipOwnerId',
      'optionalText',
      'Leadership owner (CRM user id)',
      'The CRM user who owns escalations. Empty: none, and escalations are skipped with the reason no_leadership_owner.',
    ),
  ],
  ticketDetractorTaskDueHours: [
    rule(
      'ticketDetractorTaskDueHours',
      'whole',
      'Ticket detractor task due after (hours)',
      'The helpdesk task ticket made for a transactional detractor is due this many hours later.',
    ),
  ],
  loopClosureAlertBelowPercent: [
    rule('loopClosureAlertBelowPercent', 'number', 'Loop-closure alert below (%)', 'An alert is raised when detractor loop closure falls below this percentage.'),
  ],

  enterpriseTiers: [
    rule('enterpriseTiers', 'lines', 'Enterprise tiers', 'One tier per line; an account in one of them is enterprise (compared ignoring case and surrounding spaces).'),
  ],
  enterpriseArrThreshold: [rule('enterpriseArrThreshold', 'amount', 'Enterprise from ARR', 'An account with at least this ARR is enterprise, as an amount such as 100000.00.')],
  arrBandLowerBounds: ARR_BANDS.filter((band) => band !== 'under_10k').map((band) =>
    rule(`arrBandLowerBounds.${band}`, 'amount', `ARR band ${ARR_BAND_NAMES[band]} starts at`, 'The lowest ARR in the band (included); each band starts above the one before.'),
  ),
  tenureBandUpperDays: Object.keys(DEFAULT_PROGRAM_SETTINGS.tenureBandUpperDays).map((band) =>
    rule(
      `tenureBandUpperDays.${band}`,
      'whole',
      `Tenure band ${TENURE_BAND_NAMES[band] ?? band} ends at (days)`,
      'Days since the customer-since date (included); each band ends after the one before.',
    ),
  ),

  sentimentWindowDays: [rule('sentimentWindowDays', 'whole', 'Sentiment window (days)', 'Trailing days of relational answers that count for account sentiment and account NPS.')],
  roleGapFlagAbovePoints: [
    rule('roleGapFlagAbovePoints', 'number', 'Role gap flag above (points)', 'A gap between decision makers’ and end users’ NPS above this flags the account.'),
  ],
  usageHighThreshold: [rule('usageHighThreshold', 'number', 'High usage from', 'A mapped usage value at or above this is high activity.')],
  arrTrendWindowDays: [rule('arrTrendWindowDays', 'whole', 'ARR trend window (days)', 'Days of ARR history the activity axis compares when no usage field is mapped.')],
  arrTrendHighGrowthPercent: [
    rule('arrTrendHighGrowthPercent', 'number', 'High activity from ARR growth of (%)', 'ARR growth over that window at or above which activity is high.'),
  ],

  themeKeywords: THEMES.map((theme) =>
    rule(
      `themeKeywords.${theme}`,
      'lines',
      `${THEME_NAMES[theme] ?? theme} keywords`,
      'One word or phrase per line; a comment containing one as a whole word (any case) gets this theme.',
    ),
  ),
  emergingThemeMinDetractorComments: [
    rule(
      'emergingThemeMinDetractorComments',
      'whole',
      'Emerging theme from (detractor comments)',
      'A theme in at least this many detractor comments in a quarter is flagged as emerging.',
    ),
  ],
  significantDropPoints: [
    rule('significantDropPoints', 'number', 'Significant drop of at least (points)', 'A quarter-over-quarter NPS drop this large, and significant, raises an alert.'),
  ],
  decliningQuartersInARow: [rule('decliningQuartersInARow', 'whole', 'Declining quarters in a row', 'This many successive quarterly declines raise an alert.')],
};

const PROFILE: Setting[] = [
  { name: 'companyName', kind: 'text', label: 'Company name', hint: 'Your company, as survey emails name it (“… at Acme Inc.”). At most 100 characters.' },
  { name: 'productName', kind: 'text', label: 'Product name', hint: 'What the question asks about: “How likely are you to recommend {product} to a colleague?”' },
  { name: 'senderName', kind: 'text', label: 'Sender name', hint: 'Who survey emails come from when an account has no CSM with an email address.' },
  { name: 'senderEmail', kind: 'email', label: 'Sender email', hint: 'The address survey emails come from and replies go to when there is no CSM.' },
];

const ALERT_DELIVERY: Setting[] = [
  { name: 'alertEmails', kind: 'emails', label: 'Alert emails', hint: 'Who receives every new alert by email: one address per line, at most 50. Empty: none.' },
  {
    name: 'slackWebhookUrl',
    kind: 'optionalUrl',
    label: 'Alert webhook URL',
    hint: 'An https incoming-webhook URL (a Slack channel’s, for example) every new alert is posted to. Empty: none.',
  },
];

const rules = (...keys: Array<keyof ProgramSettings>) => keys.flatMap((key) => RULE_SETTINGS[key]);

/** The settings form, group by group, in the order an admin sets a program up. */
export const SETTING_GROUPS: readonly SettingGroup[] = [
  { id: 'profile', title: 'Who the surveys come from', about: 'Needed before the program can go live.', settings: PROFILE },
  {
    id: 'send-window',
    title: 'Send window and pacing',
    about: 'Survey emails go out only on these days, inside this window, up to the daily cap.',
    settings: rules('sendDays', 'sendWindowStart', 'sendWindowEnd', 'timeZone', 'dailySendCap'),
  },
  {
    id: 'who',
    title: 'Who gets a survey, and when',
    about: 'Ticket surveys follow a solved ticket; pre-renewal surveys go ahead of a renewal; quarterly waves cover everyone once a quarter.',
    settings: rules(
      'ticketSendDelayHours',
      'ticketTooLateAfterHours',
      'preRenewalMinDaysAhead',
      'preRenewalMaxDaysAhead',
      'preRenewalFallbackMaxContacts',
      'suppressionWindowDays',
      'surveyLinkValidDays',
      'responseSettleMinutes',
    ),
  },
  {
    id: 'loop',
    title: 'Closing the loop',
    about: 'The follow-up task each settled answer gets, for the account’s owner in the CRM.',
    settings: rules('followUp', 'preRenewalCheckInBelowScore', 'enterpriseEscalation', 'leadershipOwnerId', 'ticketDetractorTaskDueHours', 'loopClosureAlertBelowPercent'),
  },
  {
    id: 'segments',
    title: 'Accounts and segments',
    about: 'What makes an account enterprise, and the ARR and tenure bands reports break down by.',
    settings: rules('enterpriseTiers', 'enterpriseArrThreshold', 'arrBandLowerBounds', 'tenureBandUpperDays'),
  },
  {
    id: 'health',
    title: 'Account health',
    about: 'Sentiment × activity gives each account its health quadrant.',
    settings: rules('sentimentWindowDays', 'roleGapFlagAbovePoints', 'usageHighThreshold', 'arrTrendWindowDays', 'arrTrendHighGrowthPercent'),
  },
  {
    id: 'themes-alerts',
    title: 'Themes and alerts',
    about: 'Comments are tagged with themes by these keywords; alerts go to the people and webhook below.',
    settings: [...rules('themeKeywords', 'emergingThemeMinDetractorComments', 'significantDropPoints', 'decliningQuartersInARow'), ...ALERT_DELIVERY],
  },
];

export const ALL_SETTINGS: readonly Setting[] = SETTING_GROUPS.flatMap((group) => group.settings);
/** Each setting by its name (its path in the admin API). */
export const BY_NAME: ReadonlyMap<string, Setting> = new Map(ALL_SETTINGS.map((setting) => [setting.name, setting]));

/** Where a setting is on the settings page: for links from the overview (what is missing) and from errors. */
export const settingAnchor = (name: string) => `field-${name}`;

/** A follow-up setting's label says which case it is about (the form shows the case as its fieldset's legend). */
export function summaryLabel(name: string): string {
  const setting = BY_NAME.get(name);
  if (!setting) return name;
  return setting.within ? `${setting.within}: ${setting.label}` : setting.label;
}
