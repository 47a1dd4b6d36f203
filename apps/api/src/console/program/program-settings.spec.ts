import type { ProgramDto } from '@libs/app/src/program/program.dto';
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from '@libs/nps/src';
import { currentTexts, settingErrors, settingsChange, submittedTexts } from './program-settings';
import { ALL_SETTINGS } from './setting-catalogue';

const program = (rules: Partial<ProgramSettings> = {}, profile: Partial<ProgramDto['profile']> = {}): ProgramDto => ({
  live: false,
  missing: [],
  profile: { companyName: null, productName: null, senderName: null, senderEmail: null, ...profile },
  rules: { ...DEFAULT_PROGRAM_SETTINGS, ...rules } as unknown as Record<string, unknown>,
  alertEmails: [],
  slackWebhookUrl: null,
});

/** What a browser sends for the form as shown: every field's text, each checked send day as its own value. */
const sentAsShown = (shown: ProgramDto) => {
  const texts = currentTexts(shown);
  return Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, name === 'rules.sendDays' ? text.split(',') : text]));
};

describe('the program settings form', () => {
  it('has a field for every program rule, each named by its path in the admin API', () => {
    const rules = new Set(ALL_SETTINGS.filter((s) => s.name.startsWith('rules.')).map((s) => s.name.split('.')[1]));
    expect([...rules].sort()).toEqual(Object.keys(DEFAULT_PROGRAM_SETTINGS).sort());
    expect(ALL_SETTINGS.map((s) => s.name)).toEqual(expect.arrayContaining(['companyName', 'senderEmail', 'alertEmails', 'slackWebhookUrl', 'rules.followUp.detractor.dueHours']));
  });

  it('sent back as shown, changes nothing (unset profile items left empty are no change)', () => {
    const shown = program({ sendDays: ['Monday', 'friday'], leadershipOwnerId: null });
    expect(settingsChange(shown, submittedTexts(sentAsShown(shown)))).toEqual({ change: {}, changed: [] });
  });

  it('turns text into the API shapes and sends only what changed; a changed rule group goes whole', () => {
    const shown = program({ dailySendCap: 500 }, { companyName: 'Acme' });
    const body = {
      ...sentAsShown(shown),
      'rules.dailySendCap': ' 250 ',
      'rules.sendDays': ['monday', 'saturday'],
      'rules.followUp.passive.dueHours': '72',
      'rules.enterpriseEscalation': 'false',
      'rules.leadershipOwnerId': '  ',
      'rules.themeKeywords.pricing': 'price\n\n  too expensive \n',
      alertEmails: 'a@acme.example, b@acme.example\nc@acme.example',
      productName: 'Beacon',
    };
    const { change, changed } = settingsChange(shown, submittedTexts(body));
    expect(change).toEqual({
      productName: 'Beacon',
      alertEmails: ['a@acme.example', 'b@acme.example', 'c@acme.example'],
      rules: {
        sendDays: ['monday', 'saturday'],
        dailySendCap: 250,
        followUp: { ...DEFAULT_PROGRAM_SETTINGS.followUp, passive: { dueHours: 72, priority: 'normal' } },
        enterpriseEscalation: false,
        themeKeywords: { ...DEFAULT_PROGRAM_SETTINGS.themeKeywords, pricing: ['price', 'too expensive'] },
      },
    });
    expect(changed.map((s) => s.name)).toEqual([
      'productName',
      'rules.sendDays',
      'rules.dailySendCap',
      'rules.followUp.passive.dueHours',
      'rules.enterpriseEscalation',
      'rules.themeKeywords.pricing',
      'alertEmails',
    ]);
  });

  it('keeps a field the form did not send as it is (but no send day checked is none)', () => {
    const shown = program();
    const { change } = settingsChange(shown, submittedTexts({ 'rules.dailySendCap': '300' }, currentTexts(shown)));
    expect(change).toEqual({ rules: { sendDays: [], dailySendCap: 300 } });
  });

  it('hands text that is not a number on as text, so the service names the field; emptying a set profile item is a change', () => {
    const shown = program({}, { companyName: 'Acme' });
    const { change } = settingsChange(shown, submittedTexts({ ...sentAsShown(shown), 'rules.dailySendCap': 'lots', companyName: '' }));
    expect(change).toEqual({ companyName: '', rules: { dailySendCap: 'lots' } });
  });

  it('puts each message beside the setting it names; the rest are about the form', () => {
    expect(
      settingErrors([
        'rules.dailySendCap: must be a whole number from 1 to 100000',
        'senderEmail must be an email',
        'each value in alertEmails must be an email',
        'profile.companyName must not be blank',
        'rules.followUp.detractor.dueHours: must be a whole number from 1 to 2160',
        'rules.dailySendCap: must be a positive whole number',
        'rules.nope: is not a program setting',
      ]),
    ).toEqual({
      'rules.dailySendCap': 'must be a whole number from 1 to 100000; must be a positive whole number',
      senderEmail: 'must be an email',
      alertEmails: 'each entry must be an email',
      companyName: 'must not be blank',
      'rules.followUp.detractor.dueHours': 'must be a whole number from 1 to 2160',
      form: 'rules.nope: is not a program setting',
    });
    expect(settingErrors(['live: the program cannot be live until these are set: rules.leadershipOwnerId'], ['rules.leadershipOwnerId'])).toEqual({
      'rules.leadershipOwnerId': 'must be set while the program is live (pause it first to clear it)',
    });
  });
});
