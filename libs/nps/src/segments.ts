/**
 * rules §3 People, roles, accounts: role normalisation, enterprise rule, ARR band, tenure band, and
 * the segment snapshot stored with each response.
 */
import { calendarDaysSince } from './calendar';
import { toCents } from './money';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { ROLE_PRECEDENCE, type ArrBand, type IsoDate, type MoneyAmount, type Role, type TenureBand } from './types';

/** A per-connection mapping from CRM role labels to normalised roles. Keys are matched
 *  case-insensitively with surrounding and repeated whitespace ignored. */
export type RoleMapping = Readonly<Record<string, Role>>;

/**
 * The role labels CRMs ship with (a relation's role picklist, association labels): the same
 * words map the same way whichever CRM the label comes from.
 */
const DEFAULT_ROLE_MAPPING: RoleMapping = {
  'decision maker': 'decision_maker',
  'economic buyer': 'decision_maker',
  'economic decision maker': 'decision_maker',
  'executive sponsor': 'decision_maker',
  'technical buyer': 'admin',
  evaluator: 'admin',
  'business user': 'end_user',
};

/** Canonical form of a role label for lookup: trimmed, lower-case, single spaces. */
function normaliseRoleLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A connection's mapping: the defaults with the connection's overrides applied on top.
 * An override may add labels ("Champion" → decision_maker) or remap default ones (even to `other`).
 */
export function roleMapping(overrides: Readonly<Record<string, Role>> = {}, base: RoleMapping = DEFAULT_ROLE_MAPPING): RoleMapping {
  const merged: Record<string, Role> = {};
  for (const [label, role] of Object.entries(base)) merged[normaliseRoleLabel(label)] = role;
  for (const [label, role] of Object.entries(overrides)) {
    if (!ROLE_PRECEDENCE.includes(role)) {
      throw new Error(`Invalid role ${JSON.stringify(role)} for label ${JSON.stringify(label)}`);
    }
    merged[normaliseRoleLabel(label)] = role;
  }
  return merged;
}

/** The first of decision_maker, admin, end_user, other among `roles`; `other` when empty. */
export function highestPrecedenceRole(roles: Iterable<Role>): Role {
  const present = new Set(roles);
  return ROLE_PRECEDENCE.find((role) => present.has(role)) ?? 'other';
}

/**
 * A contact's role at an account from the labels the CRM gives it (each value of a multi-select
 * role picklist, or each association label), mapped through the connection's mapping; unknown,
 * empty or missing labels (an unlabeled association) are `other`; several use the precedence.
 */
export function roleFromLabels(labels: readonly (string | null | undefined)[], mapping: RoleMapping = DEFAULT_ROLE_MAPPING): Role {
  const lookup = roleMapping({}, mapping);
  const roles = labels.filter((label): label is string => typeof label === 'string' && label.trim() !== '').map((label) => lookup[normaliseRoleLabel(label)] ?? 'other');
  return highestPrecedenceRole(roles);
}

export interface AccountSegmentInput {
  readonly tier: string | null;
  readonly arr: MoneyAmount | null;
}

/** Enterprise: tier in the configured enterprise tiers (case-insensitive), or ARR ≥ threshold. */
export function isEnterpriseAccount(account: AccountSegmentInput, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): boolean {
  if (account.tier !== null && account.tier.trim() !== '') {
    const tier = normaliseRoleLabel(account.tier);
    if (settings.enterpriseTiers.some((t) => normaliseRoleLabel(t) === tier)) return true;
  }
  if (account.arr === null) return false;
  return toCents(account.arr) >= settingCents(settings.enterpriseArrThreshold);
}

/** Amounts of the settings (the enterprise threshold, the ARR band bounds) in cents, parsed once each. */
const settingsCents = new Map<string, bigint>();
const SETTINGS_CENTS_MAX = 256;

/**
 * toCents of an amount of the settings: they are compared with every account's ARR (a million
 * imported answers' snapshots), and the same few amounts need not be parsed each time.
 */
function settingCents(amount: MoneyAmount): bigint {
  if (typeof amount !== 'string') return toCents(amount);
  let cents = settingsCents.get(amount);
  if (cents === undefined) {
    cents = toCents(amount);
    if (settingsCents.size >= SETTINGS_CENTS_MAX) settingsCents.clear();
    settingsCents.set(amount, cents);
  }
  return cents;
}

const BANDS_FROM_TOP: readonly Exclude<ArrBand, 'under_10k'>[] = ['500k_plus', '100k_500k', '50k_100k', '10k_50k'];

/** ARR band, lower bound inclusive: 10,000.00 is `10k_50k`, 9,999.99 is `under_10k`. */
export function arrBand(arr: MoneyAmount, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): ArrBand {
  const cents = toCents(arr);
  const bounds = settings.arrBandLowerBounds;
  for (const band of BANDS_FROM_TOP) {
    if (cents >= settingCents(bounds[band])) return band;
  }
  return 'under_10k';
}

/**
 * Tenure band from the customer-since date. Tenure = UTC calendar days from customer-since to
 * today (customer since today = 0 days). Boundaries, both inclusive:
 *   0_90d: 0–90 d · 91_180d: 91–180 d · 181_365d: 181–365 d · 1_2y: 366–730 d · over_2y: ≥ 731 d.
 * Day counts, not calendar years, so leap years do not move a boundary. A customer-since date
 * in the future (negative tenure, bad data) is treated as 0 days → 0_90d.
 */
export function tenureDays(customerSince: IsoDate, now: Date): number {
  return Math.max(0, calendarDaysSince(customerSince, now));
}

export function tenureBand(customerSince: IsoDate, now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): TenureBand {
  const days = tenureDays(customerSince, now);
  const upper = settings.tenureBandUpperDays;
  if (days <= upper['0_90d']) return '0_90d';
  if (days <= upper['91_180d']) return '91_180d';
  if (days <= upper['181_365d']) return '181_365d';
  if (days <= upper['1_2y']) return '1_2y';
  return 'over_2y';
}

export interface SegmentSnapshot {
  readonly role: Role;
  readonly tier: string | null;
  readonly enterprise: boolean;
  readonly arrBand: ArrBand | null;
  readonly tenureBand: TenureBand | null;
}

/**
 * The snapshot stored with a response at response time, so history does not move when the
 * account changes later. Unknown ARR or customer-since → null band.
 */
export function segmentSnapshot(
  input: {
    readonly role: Role;
    readonly account: AccountSegmentInput & { readonly customerSince: IsoDate | null };
    readonly now: Date;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): SegmentSnapshot {
  const { account } = input;
  return {
    role: input.role,
    tier: account.tier,
    enterprise: isEnterpriseAccount(account, settings),
    arrBand: account.arr === null ? null : arrBand(account.arr, settings),
    tenureBand: account.customerSince === null ? null : tenureBand(account.customerSince, input.now, settings),
  };
}
