import { followUpPlan } from './follow-up-policy';
import { DEFAULT_PROGRAM_SETTINGS, programSettings } from './settings';

describe('program settings', () => {
  it('holds the contract defaults', () => {
    expect(DEFAULT_PROGRAM_SETTINGS).toMatchObject({
      enterpriseArrThreshold: '100000.00',
      ticketSendDelayHours: 24,
      ticketTooLateAfterHours: 72,
      preRenewalMinDaysAhead: 60,
      preRenewalMaxDaysAhead: 90,
      preRenewalFallbackMaxContacts: 5,
      suppressionWindowDays: 30,
      surveyLinkValidDays: 30,
      responseSettleMinutes: 30,
      preRenewalCheckInBelowScore: 7,
      ticketDetractorTaskDueHours: 48,
      loopClosureAlertBelowPercent: 70,
      sentimentWindowDays: 365,
      roleGapFlagAbovePoints: 15,
      usageHighThreshold: 50,
      arrTrendWindowDays: 180,
      arrTrendHighGrowthPercent: 5,
      emergingThemeMinDetractorComments: 5,
      significantDropPoints: 4,
      decliningQuartersInARow: 3,
    });
    expect(DEFAULT_PROGRAM_SETTINGS.followUp).toEqual({
      detractor: { dueHours: 48, priority: 'high' },
      preRenewalCheckIn: { dueHours: 24, priority: 'high' },
      enterpriseEscalation: { dueHours: 48, priority: 'high' },
      passive: { dueHours: 168, priority: 'normal' },
      promoter: { dueHours: 168, priority: 'low' },
    });
  });

  it('merges overrides, nested groups included, without touching the defaults', () => {
    const s = programSettings({
      suppressionWindowDays: 45,
      followUp: { passive: { dueHours: 72 } },
      themeKeywords: { pricing: ['too dear'] },
      tenureBandUpperDays: { '0_90d': 60 },
      leadershipOwnerId: undefined,
    });
    expect(s.suppressionWindowDays).toBe(45);
    expect(s.followUp.passive).toEqual({ dueHours: 72, priority: 'normal' });
    expect(s.followUp.detractor).toEqual({ dueHours: 48, priority: 'high' });
    expect(s.themeKeywords.pricing).toEqual(['too dear']);
    expect(s.themeKeywords.performance).toBe(DEFAULT_PROGRAM_SETTINGS.themeKeywords.performance);
    expect(s.tenureBandUpperDays).toEqual({ '0_90d': 60, '91_180d': 180, '181_365d': 365, '1_2y': 730 });
    expect(s.leadershipOwnerId).toBeNull();
    expect(DEFAULT_PROGRAM_SETTINGS.suppressionWindowDays).toBe(30);
    expect(DEFAULT_PROGRAM_SETTINGS.followUp.passive.dueHours).toBe(168);
  });

  it('switches the enterprise escalation off with enterpriseEscalation: false (no task, nothing skipped)', () => {
    const input = {
      response: {
        id: 'r1',
        stream: 'relational' as const,
        trigger: 'quarterly' as const,
        score: 2,
        comment: null,
        settledAt: new Date('2026-11-03T10:00:00Z'),
        respondent: { contactId: 'c1', name: 'Pat', email: 'pat@acme.test', role: 'decision_maker' as const },
      },
      account: { id: 'a1', name: 'Big Co', tier: 'Enterprise', arr: '250000.00', renewalDate: null, ownerId: 'csm-1' },
      responseUrl: 'https://nps.example.test/r/1',
    };
    const kinds = (settings: ReturnType<typeof programSettings>) => followUpPlan(input, settings).tasks.map((t) => t.kind);
    expect(kinds(programSettings({ leadershipOwnerId: 'vp-1' }))).toEqual(['detractor_call', 'leadership_escalation']);
    const off = followUpPlan(input, programSettings({ leadershipOwnerId: 'vp-1', enterpriseEscalation: false }));
    expect([off.tasks.map((t) => t.kind), off.skipped]).toEqual([['detractor_call'], []]);
  });
});
