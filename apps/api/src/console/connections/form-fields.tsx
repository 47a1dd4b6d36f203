import { FieldFrame } from '../components';

/** Inputs the connect and mapping forms need beyond the console's TextField and SelectField. */

/** A labelled text area (a PEM private key): its problem shown above it and tied to it. */
export function TextAreaField(props: { name: string; label: string; value?: string; error?: string; hint?: string; required?: boolean; rows?: number }) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      control={(described) => (
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
      )}
    />
  );
}

export interface Choice {
  value: string;
  label: string;
}
