/** Inputs the connect and mapping forms need beyond the console's TextField and SelectField. */

/** A labelled text area (a PEM private key): its problem shown above it and tied to it. */
export function TextAreaField(props: { name: string; label: string; value?: string; error?: string; hint?: string; required?: boolean; rows?: number }) {
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {`${props.label} ${props.error}`}
        </p>
      ) : null}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        required={props.required}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/** A labelled select with a hint (what the field holds) and its problem, tied to it. */
export function ChoiceField(props: { name: string; label: string; options: readonly Choice[]; value?: string; error?: string; hint?: string }) {
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {`${props.label} ${props.error}`}
        </p>
      ) : null}
      <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
