import { DEFAULT_PROGRAM_SETTINGS, programSettings } from './settings';
import { mergedRuleErrors, ruleOverrideErrors, RULE_NUMBER_LIMITS } from './settings-limits';

/** Every numeric rule of the defaults as [path, value]. */
function numericRules(value: unknown, path = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => numericRules(v, path ? `${path}.${key}` : key));
}

describe('program rule limits', () => {
  it('accepts the full defaults as they are (a GET answer can be PUT back)', () => {
    expect(ruleOverrideErrors(DEFAULT_PROGRAM_SETTINGS)).toEqual([]);
    expect(mergedRuleErrors(DEFAULT_PROGRAM_SETTINGS)).toEqual([]);
  });

  it('every numeric rule has a stated range, and the default lies within it', () => {
    for (const [path, value] of numericRules(DEFAULT_PROGRAM_SETTINGS)) {
      const limit = Object.entries(RULE_NUMBER_LIMITS).find(([pattern]) => new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`).test(path))?.[1];
      expect([path, limit !== undefined]).toEqual([path, true]);
      expect([path, value >= limit!.min && value <= limit!.max && (!limit!.whole || Number.isInteger(value))]).toEqual([path, true]);
    }
  });

  it('states the range in the message, for whole numbers and fractions alike', () => {
    expect(ruleOverrideErrors({ dailySendCap: 0 })).toEqual(['rules.dailySendCap: must be a whole number from 1 to 100000']);
    expect(ruleOverrideErrors({ dailySendCap: 1.5 })).toEqual(['rules.dailySendCap: must be a whole number from 1 to 100000']);
    expect(ruleOverrideErrors({ dailySendCap: '10' })).toEqual(['rules.dailySendCap: must be a whole number from 1 to 100000']);
    expect(ruleOverrideErrors({ followUp: { passive: { dueHours: 2161 } } })).toEqual(['rules.followUp.passive.dueHours: must be a whole number from 1 to 2160']);
    expect(ruleOverrideErrors({ significantDropPoints: 2.5, roleGapFlagAbovePoints: -1 })).toEqual(['rules.roleGapFlagAbovePoints: must be a number from 0 to 200']);
    expect(ruleOverrideErrors({ dailySendCap: 100_000, suppressionWindowDays: 0 })).toEqual([]);
  });

  it('names unknown rules, wrong shapes, empty names and inexact money', () => {
    expect(ruleOverrideErrors({ sendCap: 5 })).toEqual(['rules.sendCap: is not a program setting']);
    expect(ruleOverrideErrors({ followUp: 'soon' })).toEqual(['rules.followUp: must be an object']);
    expect(ruleOverrideErrors({ enterpriseTiers: ['gold', ''] })).toEqual([expect.stringMatching(/^rules\.enterpriseTiers: must be a list of non-empty texts/)]);
    expect(ruleOverrideErrors({ leadershipOwnerId: ' ' })).toEqual([expect.stringMatching(/^rules\.leadershipOwnerId: must be a non-empty text or null/)]);
    expect(ruleOverrideErrors({ leadershipOwnerId: null, enterpriseEscalation: false })).toEqual([]);
    expect(ruleOverrideErrors({ arrBandLowerBounds: { '10k_50k': '10000.001' } })).toEqual([expect.stringMatching(/^rules\.arrBandLowerBounds\.10k_50k: must be an amount/)]);
    expect(ruleOverrideErrors({ enterpriseArrThreshold: '-5' })).toEqual([expect.stringMatching(/^rules\.enterpriseArrThreshold: must be an amount/)]);
  });

  it('checks bounds that must agree once merged', () => {
    expect(mergedRuleErrors(programSettings({ preRenewalMinDaysAhead: 95 }))).toEqual(['rules.preRenewalMaxDaysAhead: must not be less than preRenewalMinDaysAhead (95)']);
    expect(mergedRuleErrors(programSettings({ ticketSendDelayHours: 80 }))).toEqual(['rules.ticketTooLateAfterHours: must not be less than ticketSendDelayHours (80)']);
    expect(mergedRuleErrors(programSettings({ arrBandLowerBounds: { '50k_100k': '9000.00' } }))).toEqual([
      'rules.arrBandLowerBounds.50k_100k: must be more than 10k_50k (10000.00)',
    ]);
    expect(mergedRuleErrors(programSettings({ tenureBandUpperDays: { '1_2y': 365 } }))).toEqual(['rules.tenureBandUpperDays.1_2y: must be more than 181_365d (365)']);
  });
});
