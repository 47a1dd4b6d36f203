import type { ConnectorChoice, CredentialField, CredentialForm } from '@libs/app/src/connections/connector-forms';
import { ErrorSummary, FieldErrors, PostForm, TextField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { humanize } from './connection-parts';
import { credentialsFormUrl, oauthFormUrl } from './connect.pages';
import { TextAreaField } from './form-fields';

/** What the credentials form was sent with, to show it again with its problems. */
export interface CredentialsFormInput {
  name?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export const credentialFieldName = (field: CredentialField) => `credentials.${field.name}`;

function CredentialInput({ field, value, error }: { field: CredentialField; value?: string; error?: string }) {
  const name = credentialFieldName(field);
  const label = humanize(field.name) + (field.required || field.defaultValue ? '' : ' (optional)');
  const hint = [field.description ? `It ${field.description}.` : '', field.secret ? 'Stored encrypted; never shown again.' : ''].filter(Boolean).join(' ') || undefined;
  if (field.multiline) return <TextAreaField name={name} label={label} error={error} hint={hint} required={field.required} />;
  return (
    <TextField
      name={name}
      label={label}
      type={field.secret ? 'password' : field.format === 'email' ? 'email' : 'text'}
      value={field.secret ? undefined : (value ?? field.defaultValue ?? undefined)}
      error={error}
      hint={hint}
      autocomplete={field.secret ? 'new-password' : 'off'}
      required={field.required}
    />
  );
}

/** The alternative to the OAuth app: the credentials the connections API takes, one form per authType. */
export function credentialsPage(ctx: PageContext, connector: ConnectorChoice, forms: CredentialForm[], chosen: CredentialForm, input: CredentialsFormInput = {}): string {
  const labels: Record<string, string> = { name: 'Connection name' };
  for (const f of chosen.fields) labels[credentialFieldName(f)] = humanize(f.name);
  const errors = input.errors ?? {};
  return renderPage(ctx, {
    title: `Connect ${connector.label} with a token or key`,
    children: (
      <div>
        {forms.length > 1 ? (
          <nav aria-label="Ways to sign in" class="section-nav">
            <ul>
              {forms.map((f) => (
                <li key={f.value ?? ''}>
                  <a href={credentialsFormUrl(connector.kind, f.value)} aria-current={f === chosen ? 'page' : undefined}>
                    {humanize(f.value ?? 'credentials')}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <p>{`The credentials are checked with ${connector.label} when you connect, stored encrypted and never shown again.`}</p>
        <ErrorSummary errors={errors} labels={labels} />
        <PostForm action={credentialsFormUrl(connector.kind)} class="narrow" aria-label={`Connect ${connector.label} with ${humanize(chosen.value ?? 'credentials')}`}>
          {chosen.property && chosen.value ? <input type="hidden" name={`credentials.${chosen.property}`} value={chosen.value} /> : null}
          <TextField
            name="name"
            label="Connection name"
            value={input.name ?? connector.label}
            error={errors.name}
            hint="How this connection is named in nps-bridge (unique)."
            autocomplete="off"
            required
            maxLength={100}
          />
          {chosen.fields.map((f) => (
            <CredentialInput key={f.name} field={f} value={input.values?.[f.name]} error={errors[credentialFieldName(f)]} />
          ))}
          <div class="actions">
            <button type="submit">Connect</button>
          </div>
        </PostForm>
        {connector.oauth ? (
          <p>
            <a href={oauthFormUrl(connector.kind)}>{`Connect ${connector.label} with your OAuth app instead`}</a>
          </p>
        ) : null}
      </div>
    ),
  });
}
