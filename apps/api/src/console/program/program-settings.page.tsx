import { ErrorSummary, PostForm } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { PROGRAM_SECTION, PROGRAM_SETTINGS_URL, PROGRAM_URL } from './program-nav';
import type { SettingErrors, SettingTexts } from './program-settings';
import { ALL_SETTINGS, Setting, settingAnchor, SETTING_GROUPS, summaryLabel } from './setting-catalogue';
import { SettingField } from './setting-fields';

/** Consecutive settings that share a `within` (a follow-up case) go in one fieldset. */
function runs(settings: readonly Setting[]): Array<{ within?: string; settings: Setting[] }> {
  const out: Array<{ within?: string; settings: Setting[] }> = [];
  for (const setting of settings) {
    const last = out[out.length - 1];
    if (last && setting.within && last.within === setting.within) last.settings.push(setting);
    else out.push({ within: setting.within, settings: [setting] });
  }
  return out;
}

const SUMMARY_LABELS = Object.fromEntries(ALL_SETTINGS.map((setting) => [setting.name, summaryLabel(setting.name)]));

/**
 * /console/program/settings: every program setting, grouped, each with what it means and (after a
 * refused save) its problem beside it and in the summary at the top; what the program still needs
 * to go live (`missing`) links to its field. `texts` are the values shown: the program's, or what
 * was sent when it was refused.
 */
export function programSettingsPage(ctx: PageContext, texts: SettingTexts, missing: readonly string[], errors: SettingErrors = {}): string {
  return renderPage(ctx, {
    title: 'Program settings',
    section: PROGRAM_SECTION,
    children: (
      <>
        <p>
          Every rule of the program, with its default until you change it. Saving checks each value exactly as the admin API (<code>PUT /api/program</code>) does, and changes only
          what you changed. Whether the program is live is on the <a href={PROGRAM_URL}>program page</a>.
        </p>
        <nav class="section-nav" aria-label="Setting groups">
          <ul>
            {SETTING_GROUPS.map((group) => (
              <li key={group.id}>
                <a href={`#group-${group.id}`}>{group.title}</a>
              </li>
            ))}
          </ul>
        </nav>
        <ErrorSummary errors={errors} labels={SUMMARY_LABELS} />
        {missing.length ? (
          <div class="notice">
            <p>Needed before the program can go live:</p>
            <ul>
              {missing.map((item) => (
                <li key={item}>
                  <a href={`#${settingAnchor(item)}`}>{summaryLabel(item)}</a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <PostForm action={PROGRAM_SETTINGS_URL} class="settings-form" aria-label="Program settings">
          {SETTING_GROUPS.map((group) => (
            <section key={group.id} class="settings-group" id={`group-${group.id}`} aria-labelledby={`group-${group.id}-title`}>
              <h2 id={`group-${group.id}-title`}>{group.title}</h2>
              <p class="muted">{group.about}</p>
              {runs(group.settings).map((run) =>
                run.within ? (
                  <fieldset key={run.within} class="setting-set">
                    <legend>{run.within}</legend>
                    {run.settings.map((setting) => (
                      <SettingField key={setting.name} setting={setting} value={texts[setting.name] ?? ''} error={errors[setting.name]} />
                    ))}
                  </fieldset>
                ) : (
                  <SettingField key={run.settings[0].name} setting={run.settings[0]} value={texts[run.settings[0].name] ?? ''} error={errors[run.settings[0].name]} />
                ),
              )}
            </section>
          ))}
          <div class="actions">
            <button type="submit">Save settings</button>
            <a href={PROGRAM_URL}>Back to the program</a>
          </div>
        </PostForm>
      </>
    ),
  });
}
