import { arrBand, highestPrecedenceRole, isEnterpriseAccount, roleFromLabels, roleMapping, segmentSnapshot, tenureBand, tenureDays } from './segments';
import { programSettings } from './settings';
import { InvalidMoneyError } from './money';
import { InvalidDateError } from './calendar';

describe("role labels (a role picklist's values, association labels)", () => {
  it.each([
    ['Decision Maker', 'decision_maker'],
    ['Economic Buyer', 'decision_maker'],
    ['Economic Decision Maker', 'decision_maker'],
    ['Executive Sponsor', 'decision_maker'],
    ['Technical Buyer', 'admin'],
    ['Evaluator', 'admin'],
    ['Business User', 'end_user'],
    ['Influencer', 'other'],
    ['', 'other'],
  ])('%p → %p', (label, role) => expect(roleFromLabels([label])).toBe(role));

  it('no labels, or an unlabeled association → other', () => {
    expect(roleFromLabels([])).toBe('other');
    expect(roleFromLabels([null])).toBe('other');
    expect(roleFromLabels([undefined])).toBe('other');
  });

  it('several labels: the first of decision_maker, admin, end_user, other wins', () => {
    expect(roleFromLabels(['Business User', 'Technical Buyer'])).toBe('admin');
    expect(roleFromLabels(['Business User', 'Influencer', 'Economic Buyer', 'Evaluator'])).toBe('decision_maker');
    expect(roleFromLabels(['Influencer', 'Business User'])).toBe('end_user');
    expect(roleFromLabels(['Other', 'Influencer'])).toBe('other');
    expect(roleFromLabels([null, 'Business User', 'Evaluator'])).toBe('admin');
  });

  it('ignores case and stray whitespace', () => {
    expect(roleFromLabels(['  decision   maker '])).toBe('decision_maker');
    expect(roleFromLabels(['DECISION MAKER'])).toBe('decision_maker');
    expect(roleFromLabels(['technical buyer'])).toBe('admin');
    expect(roleFromLabels(['Business user'])).toBe('end_user');
    expect(roleFromLabels(['Billing contact'])).toBe('other');
  });
});

describe('per-connection override mapping', () => {
  const mapping = roleMapping({ Champion: 'decision_maker', 'Business User': 'admin', Evaluator: 'other' });

  it('adds labels and remaps defaults, keeping the rest', () => {
    expect(roleFromLabels(['champion'], mapping)).toBe('decision_maker');
    expect(roleFromLabels(['Business User'], mapping)).toBe('admin');
    expect(roleFromLabels(['Evaluator'], mapping)).toBe('other');
    expect(roleFromLabels(['Economic Buyer'], mapping)).toBe('decision_maker');
  });

  it('rejects an unknown role', () => {
    expect(() => roleMapping({ Boss: 'ceo' as never })).toThrow('Invalid role "ceo" for label "Boss"');
  });

  it('precedence helper', () => {
    expect(highestPrecedenceRole(['other', 'end_user', 'admin'])).toBe('admin');
    expect(highestPrecedenceRole([])).toBe('other');
  });
});

describe('enterprise account', () => {
  it('ARR exactly 100,000 is enterprise; 99,999.99 is not', () => {
    expect(isEnterpriseAccount({ tier: null, arr: '100000.00' })).toBe(true);
    expect(isEnterpriseAccount({ tier: null, arr: '100000' })).toBe(true);
    expect(isEnterpriseAccount({ tier: null, arr: { cents: 10_000_000 } })).toBe(true);
    expect(isEnterpriseAccount({ tier: null, arr: '99999.99' })).toBe(false);
    expect(isEnterpriseAccount({ tier: null, arr: { cents: 9_999_999n } })).toBe(false);
  });

  it('a configured enterprise tier is enterprise whatever the ARR (case-insensitive)', () => {
    expect(isEnterpriseAccount({ tier: 'Enterprise', arr: '5000.00' })).toBe(true);
    expect(isEnterpriseAccount({ tier: 'Mid-Market', arr: '5000.00' })).toBe(false);
    expect(isEnterpriseAccount({ tier: 'Mid-Market', arr: null })).toBe(false);
    const settings = programSettings({ enterpriseTiers: ['Strategic', 'Key'], enterpriseArrThreshold: '250000.00' });
    expect(isEnterpriseAccount({ tier: 'strategic', arr: null }, settings)).toBe(true);
    expect(isEnterpriseAccount({ tier: 'Enterprise', arr: '249999.99' }, settings)).toBe(false);
    expect(isEnterpriseAccount({ tier: null, arr: '250000.00' }, settings)).toBe(true);
  });

  it('rejects a float-like or malformed ARR', () => {
    expect(() => isEnterpriseAccount({ tier: null, arr: '1e5' })).toThrow(InvalidMoneyError);
    expect(() => isEnterpriseAccount({ tier: null, arr: { cents: 0.5 } })).toThrow(InvalidMoneyError);
  });
});

describe('ARR band (lower bound inclusive)', () => {
  it.each([
    ['0.00', 'under_10k'],
    ['9999.99', 'under_10k'],
    ['10000.00', '10k_50k'],
    ['49999.99', '10k_50k'],
    ['50000.00', '50k_100k'],
    ['99999.99', '50k_100k'],
    ['100000.00', '100k_500k'],
    ['499999.99', '100k_500k'],
    ['500000.00', '500k_plus'],
    ['12000000.00', '500k_plus'],
  ])('%p → %p', (arr, band) => expect(arrBand(arr)).toBe(band));

  it('accepts cents', () => {
    expect(arrBand({ cents: 999_999 })).toBe('under_10k');
    expect(arrBand({ cents: 1_000_000n })).toBe('10k_50k');
  });

  it('uses configured boundaries', () => {
    const settings = programSettings({ arrBandLowerBounds: { '10k_50k': '5000.00' } });
    expect(arrBand('5000.00', settings)).toBe('10k_50k');
    expect(arrBand('4999.99', settings)).toBe('under_10k');
  });
});

describe('tenure band', () => {
  const now = new Date('2025-06-30T23:59:00Z');
  const daysAgo = (d: number) => new Date(Date.UTC(2025, 5, 30) - d * 86_400_000).toISOString().slice(0, 10);

  it.each([
    [0, '0_90d'],
    [90, '0_90d'],
    [91, '91_180d'],
    [180, '91_180d'],
    [181, '181_365d'],
    [365, '181_365d'],
    [366, '1_2y'],
    [730, '1_2y'],
    [731, 'over_2y'],
    [4000, 'over_2y'],
  ])('%p days → %p', (days, band) => {
    expect(tenureDays(daysAgo(days), now)).toBe(days);
    expect(tenureBand(daysAgo(days), now)).toBe(band);
  });

  it('counts UTC calendar days, not hours', () => {
    expect(tenureDays('2025-06-29', new Date('2025-06-30T00:00:01Z'))).toBe(1);
    expect(tenureDays('2025-06-30', new Date('2025-06-30T23:59:59Z'))).toBe(0);
  });

  it('a future customer-since date counts as 0 days', () => {
    expect(tenureDays('2025-07-15', now)).toBe(0);
    expect(tenureBand('2025-07-15', now)).toBe('0_90d');
  });

  it('rejects impossible dates', () => {
    expect(() => tenureBand('2025-02-30', now)).toThrow(InvalidDateError);
    expect(() => tenureBand('30/06/2025', now)).toThrow('Invalid calendar date "30/06/2025"');
  });
});

describe('segment snapshot', () => {
  it('captures role, tier, enterprise, ARR band and tenure band at response time', () => {
    expect(
      segmentSnapshot({
        role: 'admin',
        account: { tier: 'Growth', arr: '120000.00', customerSince: '2024-01-01' },
        now: new Date('2025-01-01T12:00:00Z'),
      }),
    ).toEqual({ role: 'admin', tier: 'Growth', enterprise: true, arrBand: '100k_500k', tenureBand: '1_2y' });
    expect(segmentSnapshot({ role: 'other', account: { tier: null, arr: null, customerSince: null }, now: new Date() })).toEqual({
      role: 'other',
      tier: null,
      enterprise: false,
      arrBand: null,
      tenureBand: null,
    });
  });
});
