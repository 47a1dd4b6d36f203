import type { ProgramDto, UpdateProgramDto } from '@libs/app/src/program/program.dto';
import { ALL_SETTINGS, BY_NAME, Setting, WEEKDAYS } from './setting-catalogue';

/**
 * The settings form's values: the program's settings as the form's texts, what a submitted form
 * changes (as PUT /api/program takes it), and the service's messages put beside the fields they
 * name. The form only turns text into the API's shapes; the API's DTO validation and the program
 * service judge every value.
 */

/** The text a form field holds, per setting name. */
export type SettingTexts = Record<string, string>;

function valueAt(program: ProgramDto, name: string): unknown {
  if (!name.startsWith('rules.')) return name in program.profile ? program.profile[name as keyof ProgramDto['profile']] : program[name as 'alertEmails' | 'slackWebhookUrl'];
  return name
    .slice('rules.'.length)
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), program.rules);
}

const weekdaysOf = (days: readonly string[]) => WEEKDAYS.filter((day) => days.some((d) => d.trim().toLowerCase() === day));

function asText(setting: Setting, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (setting.kind === 'weekdays') return weekdaysOf(value as string[]).join(',');
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** The program's current settings as the form shows them. */
export function currentTexts(program: ProgramDto): SettingTexts {
  return Object.fromEntries(ALL_SETTINGS.map((setting) => [setting.name, asText(setting, valueAt(program, setting.name))]));
}

/**
 * What the browser sent, per setting (checkboxes arrive as one value or several, and not at all
 * when none is checked). A field the form did not send at all keeps the text of `shown`.
 */
export function submittedTexts(body: Record<string, unknown>, shown: SettingTexts = {}): SettingTexts {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return Object.fromEntries(
    ALL_SETTINGS.map((setting) => {
      const value = body[setting.name];
      if (setting.kind === 'weekdays') return [setting.name, (Array.isArray(value) ? value.map(text) : [text(value)]).filter(Boolean).join(',')];
      return [setting.name, value === undefined && setting.name in shown ? shown[setting.name] : text(value)];
    }),
  );
}

/** A form's text as the API takes it; text that is not a number stays text, so the service names the field. */
function apiValue(setting: Setting, text: string): unknown {
  const trimmed = text.trim();
  switch (setting.kind) {
    case 'whole':
    case 'number':
      return /^[-+]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
    case 'lines':
      return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
    case 'emails':
      return text.split(/[\s,;]+/).filter(Boolean);
    case 'weekdays':
      return text.split(',').filter(Boolean);
    case 'onOff':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
    case 'optionalText':
    case 'optionalUrl':
      return trimmed || null;
    default:
      return trimmed;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (!rest.length) return void (target[head] = value);
  const next = (target[head] ??= {}) as Record<string, unknown>;
  setPath(next, rest, value);
}

/** The rule a setting belongs to (`rules.followUp.detractor.dueHours` → `followUp`): a group changes as a whole. */
const ruleOf = (name: string) => (name.startsWith('rules.') ? name.split('.')[1] : null);

/**
 * The change the form asks for, as PUT /api/program takes it: only what differs from the program
 * now (a rule group, such as the follow-up cases, goes whole when any of it changed, so its other
 * values are kept as shown). An unset profile item left empty is not a change.
 */
export function settingsChange(program: ProgramDto, texts: SettingTexts): { change: UpdateProgramDto; changed: Setting[] } {
  const current = currentTexts(program);
  const changed = ALL_SETTINGS.filter((setting) => {
    const now = setting.kind === 'weekdays' ? current[setting.name].split(',').filter(Boolean) : valueAt(program, setting.name);
    return !same(apiValue(setting, texts[setting.name] ?? ''), now) && !(now === null && (texts[setting.name] ?? '').trim() === '');
  });
  const groups = new Set(changed.map((setting) => ruleOf(setting.name)).filter((rule): rule is string => rule !== null));
  const change: Record<string, unknown> = {};
  for (const setting of ALL_SETTINGS) {
    const group = ruleOf(setting.name);
    if (!(group ? groups.has(group) : changed.includes(setting))) continue;
    setPath(change, setting.name.split('.'), apiValue(setting, texts[setting.name] ?? ''));
  }
  return { change: change as UpdateProgramDto, changed };
}

/** Problems per setting name; `form` holds those about no one field. */
export type SettingErrors = Record<string, string | undefined>;

/**
 * The service's and the DTO validation's messages, each put beside the setting it names:
 * `rules.dailySendCap: must be …`, `senderEmail must be an email`, `each value in alertEmails …`.
 * `missing` (a live program that would lose a needed item) marks each item.
 */
export function settingErrors(messages: readonly string[], missing: readonly string[] = []): SettingErrors {
  const errors: SettingErrors = {};
  const add = (field: string, problem: string) => (errors[field] = errors[field] ? `${errors[field]}; ${problem}` : problem);
  const form: string[] = [];
  for (const message of messages) {
    const named = /^([\w.]+): (.*)$/s.exec(message);
    const each = /^each value in ([\w.]+) (.*)$/s.exec(message);
    const plain = /^([\w.]+) (.*)$/s.exec(message);
    const field = (path: string) => path.replace(/^profile\./, '');
    if (named && BY_NAME.has(field(named[1]))) add(field(named[1]), named[2]);
    else if (each && BY_NAME.has(field(each[1]))) add(field(each[1]), `each entry ${each[2]}`);
    else if (plain && BY_NAME.has(field(plain[1]))) add(field(plain[1]), plain[2]);
    else if (!(missing.length && message.startsWith('live:'))) form.push(message);
  }
  for (const item of missing) add(item, 'must be set while the program is live (pause it first to clear it)');
  if (form.length) errors.form = form.join(' ');
  return errors;
}
