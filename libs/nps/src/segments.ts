/**
 * §3 People, roles, accounts: role normalisation, enterprise rule, ARR band, tenure band, and
 * the segment snapshot stored with each response.
 */
import { calendarDaysSince } from './calendar';
import { toCents } from './money';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { ROLE_PRECEDENCE, type ArrBand, type IsoDate, type MoneyAmount, type Role, type TenureBand } from './types';

/** A per-connection mapping from CRM role labels to normalised roles. Keys are matched
 *  case-insensitively with surrounding and repeated whitespace ignored. */
export type RoleMapping = Readonly<Record<string, Role>>;

const DEFAULT_LABELS: RoleMapping = {
  'decision maker': 'decision_maker',
  'economic buyer': 'decision_maker',
  'economic decision maker': 'decision_maker',
  'executive sponsor': 'decision_maker',
  'technical buyer': 'admin',
  evaluator: 'admin',
  'business user': 'end_user',
};

/** Salesforce AccountContactRelation.Roles defaults. */
export const DEFAULT_SALESFORCE_ROLE_MAPPING: RoleMapping = DEFAULT_LABELS;
/** HubSpot contact→company association labels: the same words map the same way. */
export const DEFAULT_HUBSPOT_ROLE_MAPPING: RoleMapping = DEFAULT_LABELS;

/** Canonical form of a role label for lookup: trimmed, lower-case, single spaces. */
export function normaliseRoleLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A connection's mapping: the defaults with the connection's overrides applied on top.
 * An override may add labels ("Champion" → decision_maker) or remap default ones (even to `other`).
 */
export function roleMapping(
  overrides: Readonly<Record<string, Role>> = {},
  base: RoleMapping = DEFAULT_LABELS,
): RoleMapping {
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

/** Maps labels through a mapping; unknown, empty or missing labels are `other`. */
export function roleFromLabels(
  labels: readonly (string | null | undefined)[],
  mapping: RoleMapping = DEFAULT_LABELS,
): Role {
  const lookup = roleMapping({}, mapping);
  const roles = labels
    .filter((label): label is string => typeof label === 'string' && label.trim() !== '')
    .map((label) => lookup[normaliseRoleLabel(label)] ?? 'other');
  return highestPrecedenceRole(roles);
}

/**
 * Role of a Salesforce contact from AccountContactRelation.Roles, a multi-select picklist
 * ("Decision Maker;Business User") or an array of values. None → other.
 */
export function salesforceContactRole(
  roles: string | readonly string[] | null | undefined,
  mapping: RoleMapping = DEFAULT_SALESFORCE_ROLE_MAPPING,
): Role {
  const labels = roles == null ? [] : typeof roles === 'string' ? roles.split(';') : roles;
  return roleFromLabels(labels, mapping);
}

/**
 * Role of a HubSpot contact from its contact→company association labels. An unlabeled
 * association (null/empty label) → other.
 */
export function hubspotContactRole(
  associationLabels: readonly (string | null | undefined)[] | null | undefined,
  mapping: RoleMapping = DEFAULT_HUBSPOT_ROLE_MAPPING,
): Role {
  return roleFromLabels(associationLabels ?? [], mapping);
}

export interface AccountSegmentInput {
  readonly tier: string | null;
  readonly arr: MoneyAmount | null;
}

/** Enterprise: tier in the configured enterprise tiers (case-insensitive), or ARR ≥ threshold. */
export function isEnterpriseAccount(
  account: AccountSegmentInput,
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): boolean {
  if (account.tier !== null && account.tier.trim() !== '') {
    const tier = normaliseRoleLabel(account.tier);
    if (settings.enterpriseTiers.some((t) => normaliseRoleLabel(t) === tier)) return true;
  }
  if (account.arr === null) return false;
  return toCents(account.arr) >= toCents(settings.enterpriseArrThreshold);
}

/** ARR band, lower bound inclusive: 10,000.00 is `10k_50k`, 9,999.99 is `under_10k`. */
export function arrBand(arr: MoneyAmount, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): ArrBand {
  const cents = toCents(arr);
  const bounds = settings.arrBandLowerBounds;
  const ordered: readonly Exclude<ArrBand, 'under_10k'>[] = ['500k_plus', '100k_500k', '50k_100k', '10k_50k'];
  for (const band of ordered) {
    if (cents >= toCents(bounds[band])) return band;
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

export function tenureBand(
  customerSince: IsoDate,
  now: Date,
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): TenureBand {
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
