import { PRIORITIES, Setting, settingAnchor, WEEKDAYS } from './setting-catalogue';

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const INPUT_MODES: Partial<Record<Setting['kind'], string>> = { whole: 'numeric', number: 'decimal', amount: 'decimal', email: 'email', optionalUrl: 'url', time: 'numeric' };

/** The hint and the problem of a setting, tied to its input for screen readers. */
function HintAndError({ setting, error }: { setting: Setting; error?: string }) {
  const id = settingAnchor(setting.name);
  return (
    <>
      <p class="hint" id={`${id}-hint`}>
        {setting.hint}
      </p>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {`${setting.label}: ${error}`}
        </p>
      ) : null}
    </>
  );
}

const describedBy = (setting: Setting, error?: string) => [`${settingAnchor(setting.name)}-hint`, error ? `${settingAnchor(setting.name)}-error` : ''].filter(Boolean).join(' ');

/** A group of choices (send days, on/off): a fieldset whose legend is the setting's label; the first choice carries the setting's anchor. */
function Choices({
  setting,
  error,
  type,
  options,
  checked,
}: {
  setting: Setting;
  error?: string;
  type: 'checkbox' | 'radio';
  options: Array<{ value: string; label: string }>;
  checked: (value: string) => boolean;
}) {
  const id = settingAnchor(setting.name);
  return (
    <fieldset class={error ? 'field choices has-error' : 'field choices'} aria-describedby={describedBy(setting, error)}>
      <legend>{setting.label}</legend>
      <HintAndError setting={setting} error={error} />
      <div class="choice-list">
        {options.map((option, index) => (
          <label key={option.value} class="choice">
            <input type={type} name={setting.name} value={option.value} id={index === 0 ? id : `${id}-${option.value}`} checked={checked(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * One program setting as a form field: its label, what it means, its problem if the last save was
 * refused, and an input of its kind. Numbers are text inputs (with a numeric keyboard on phones) so
 * that whatever was typed reaches the server, which says what it accepts; the form has no browser
 * validation of its own.
 */
export function SettingField({ setting, value, error }: { setting: Setting; value: string; error?: string }) {
  const id = settingAnchor(setting.name);
  if (setting.kind === 'weekdays') {
    const days = new Set(value.split(','));
    return <Choices setting={setting} error={error} type="checkbox" options={WEEKDAYS.map((day) => ({ value: day, label: capitalised(day) }))} checked={(day) => days.has(day)} />;
  }
  if (setting.kind === 'onOff') {
    const options = [
      { value: 'true', label: 'On' },
      { value: 'false', label: 'Off' },
    ];
    return <Choices setting={setting} error={error} type="radio" options={options} checked={(choice) => choice === value} />;
  }
  const common = { id, name: setting.name, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy(setting, error) };
  let input;
  if (setting.kind === 'priority') {
    input = (
      <select {...common}>
        {PRIORITIES.map((priority) => (
          <option key={priority} value={priority} selected={priority === value}>
            {capitalised(priority)}
          </option>
        ))}
      </select>
    );
  } else if (setting.kind === 'lines' || setting.kind === 'emails') {
    input = <textarea {...common} rows={Math.min(8, Math.max(3, value.split('\n').length + 1))} value={value} spellcheck={false} />;
  } else {
    input = (
      <input
        {...common}
        type="text"
        value={value}
        inputMode={INPUT_MODES[setting.kind] as 'numeric' | 'decimal' | 'email' | 'url' | undefined}
        autocomplete="off"
        spellcheck={false}
        class={setting.kind === 'text' || setting.kind === 'email' || setting.kind === 'optionalUrl' || setting.kind === 'timeZone' ? undefined : 'short'}
      />
    );
  }
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{setting.label}</label>
      <HintAndError setting={setting} error={error} />
      {input}
    </div>
  );
}
