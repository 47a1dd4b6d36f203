import { roundNpsForDisplay } from '@libs/nps/src';

/**
 * How the dashboard writes report values. NPS values (and interval ends, gaps, changes) are
 * rounded once, half away from zero, to an integer with its sign (rules §1: reports carry the
 * exact value, displays round); shares are whole percents; money keeps its decimals' meaning.
 */
const SIGNED = new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
const COUNT = new Intl.NumberFormat('en');
const DECIMAL = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

export const NONE = '—';

/** An NPS for display: "+20", "-13", "0"; "—" when undefined (n = 0). */
export function npsText(value: number | null | undefined): string {
  const rounded = roundNpsForDisplay(value ?? null);
  return rounded === null ? NONE : SIGNED.format(rounded);
}

export const countText = (value: number) => COUNT.format(value);
export const decimalText = (value: number | null) => (value === null ? NONE : DECIMAL.format(value));
export const shareText = (value: number | null | undefined) => (value === null || value === undefined ? NONE : PERCENT.format(value));

/** A decimal amount ("200000.00") with its thousands grouped and its cents only when there are some: "200,000", "1,234.50". */
export function moneyText(value: string | null): string {
  if (value === null) return NONE;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, cents = ''] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${/[1-9]/.test(cents) ? `.${cents}` : ''}`;
}

/** "n 5", with "low sample" beside it when n < 30 (rules §1). */
export const sampleText = (n: number, lowSample: boolean) => `n ${countText(n)}${lowSample ? ', low sample' : ''}`;

export const ARR_BAND_LABELS: Record<string, string> = {
  under_10k: 'Under 10k',
  '10k_50k': '10k–50k',
  '50k_100k': '50k–100k',
  '100k_500k': '100k–500k',
  '500k_plus': '500k and more',
  unknown: 'Unknown',
};
export const TENURE_LABELS: Record<string, string> = {
  '0_90d': '0–90 days',
  '91_180d': '91–180 days',
  '181_365d': '181–365 days',
  '1_2y': '1–2 years',
  over_2y: 'Over 2 years',
  unknown: 'Unknown',
};
export const ROLE_LABELS: Record<string, string> = { decision_maker: 'Decision maker', admin: 'Admin', end_user: 'End user', other: 'Other', unknown: 'Unknown' };
export const QUADRANT_LABELS: Record<string, string> = {
  champion: 'Champion',
  adoption_risk: 'Adoption risk',
  passive_engaged: 'Passive, engaged',
  passive_drifting: 'Passive, drifting',
  friction: 'Friction',
  churn_risk: 'Churn risk',
  unknown: 'Unknown',
};
export const TRIGGER_LABELS: Record<string, string> = { quarterly: 'Quarterly wave', pre_renewal: 'Pre-renewal', ticket_solved: 'Ticket solved', onboarding: 'Onboarding' };
export const THEME_LABELS: Record<string, string> = {
  feature_gap: 'Feature gap',
  performance: 'Performance',
  support_quality: 'Support quality',
  pricing: 'Pricing',
  competitor: 'Competitor',
  integration_request: 'Integration request',
};
export const CATEGORY_LABELS: Record<string, string> = { all: 'All', promoter: 'Promoters', passive: 'Passives', detractor: 'Detractors' };
export const SEGMENT_LABELS: Record<string, string> = { tier: 'Tier', arrBand: 'ARR band', tenureBand: 'Tenure band', role: 'Role', quadrant: 'Health quadrant' };
export const BASIS_LABELS: Record<string, string> = {
  accounts: 'Accounts (each once)',
  respondents: 'Respondents',
  arr_weighted: 'ARR-weighted',
  decision_makers: 'Decision makers',
  all_respondents: 'All respondents',
};

/** A value's label from `labels`, else the value with its underscores as spaces ("too_late" → "too late"). */
export const labelOf = (labels: Record<string, string> | undefined, value: string) => labels?.[value] ?? value.replace(/_/g, ' ');
