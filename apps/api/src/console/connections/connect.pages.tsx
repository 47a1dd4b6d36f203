import { Fragment } from 'preact';
import type { ConnectionDto, SyncRunDto } from '@libs/app/src/connections/connection.dto';
import type { ConnectorChoice } from '@libs/app/src/connections/connector-forms';
import type { OAuthAppDto, OAuthOutcomeDto, OAuthStartedDto } from '@libs/app/src/connections/oauth.dto';
import { DateTime, ErrorSummary, FieldErrors, PostForm, TextField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { CONNECT_URL, CONNECTIONS_URL, connectionUrl, humanize, syncRunUrl, TestResult, VendorProblem } from './connection-parts';

const ROLE_ABOUT: Record<ConnectorChoice['role'], string> = {
  crm: 'CRM: nps-bridge reads accounts, contacts and their roles, and writes NPS fields and follow-up tasks back.',
  helpdesk: 'Helpdesk: a solved ticket asks its requester for a support NPS; scores and follow-ups go back on the ticket.',
};

export const oauthFormUrl = (kind: string) => `${CONNECT_URL}/${encodeURIComponent(kind)}`;
export const credentialsFormUrl = (kind: string, type?: string | null) => `${oauthFormUrl(kind)}/credentials${type ? `?type=${encodeURIComponent(type)}` : ''}`;

/** Connect a vendor: one card per installed connector. */
export function vendorsPage(ctx: PageContext, connectors: ConnectorChoice[]): string {
  return renderPage(ctx, {
    title: 'Connect a vendor',
    children: (
      <>
        <p>Connect your CRM first (where accounts, contacts and renewals live), then your helpdesk. Each takes a few minutes.</p>
        <div class="cards">
          {connectors.map((c) => (
            <section class="card" key={c.kind} aria-labelledby={`vendor-${c.kind}`}>
              <h2 id={`vendor-${c.kind}`}>{c.label}</h2>
              <p>{ROLE_ABOUT[c.role]}</p>
              <p>
                <a class="button" href={c.oauth ? oauthFormUrl(c.kind) : credentialsFormUrl(c.kind)}>{`Connect ${c.label}`}</a>
              </p>
            </section>
          ))}
        </div>
        <p>
          <a href={CONNECTIONS_URL}>Back to connections</a>
        </p>
      </>
    ),
  });
}

/** What the OAuth form was sent with, to show it again with its problems. */
export interface OAuthForm {
  name?: string;
  clientId?: string;
  account?: Record<string, string>;
  errors?: FieldErrors;
}

/** The fields of the OAuth form by name, for matching the service's messages to them. */
export const oauthFormFields = (app: OAuthAppDto) => ['name', 'clientId', 'clientSecret', ...app.accountFields.map((f) => `account.${f.name}`)];

function AccountField({ field, value, error }: { field: OAuthAppDto['accountFields'][number]; value?: string; error?: string }) {
  return (
    <TextField
      name={`account.${field.name}`}
      label={humanize(field.name)}
      value={value}
      error={error}
      hint={field.description ? `It ${field.description}.` : field.required ? undefined : `Leave empty unless you were told to use another address (a sandbox, a proxy).`}
      autocomplete="off"
      required={field.required}
    />
  );
}

/**
 * The guided page for one vendor: what to register (callback URL, scopes), then the app's client
 * id and secret and the account. Posting it stores them and answers with the link to the vendor.
 */
export function oauthFormPage(ctx: PageContext, app: OAuthAppDto, form: OAuthForm = {}, reconnect?: ConnectionDto): string {
  const labels: Record<string, string> = { name: 'Connection name', clientId: 'Client ID', clientSecret: 'Client secret' };
  for (const f of app.accountFields) labels[`account.${f.name}`] = humanize(f.name);
  const errors = form.errors ?? {};
  const required = app.accountFields.filter((f) => f.required);
  const optional = app.accountFields.filter((f) => !f.required);
  return renderPage(ctx, {
    title: reconnect ? `Sign ${reconnect.name} in to ${app.label} again` : `Connect ${app.label}`,
    children: (
      <div>
        <p>
          {`nps-bridge signs in to ${app.label} through an OAuth app that you register in your own ${app.label} account ("bring your own OAuth app"): every install has its own, and nobody else holds its keys.`}
        </p>
        <h2>{`1. Register an app in ${app.label}`}</h2>
        <p>{app.registration}</p>
        <div class="register">
          <p>
            <strong>Callback URL</strong>, exactly:
          </p>
          <p>
            <code class="secret" aria-label="Callback URL to register">
              {app.callbackUrl}
            </code>
          </p>
          <p>
            <strong>Scopes</strong>:{' '}
            {app.scopes.map((scope, i) => (
              <Fragment key={scope}>
                {i ? ', ' : ''}
                <code>{scope}</code>
              </Fragment>
            ))}
          </p>
          {app.pkce ? (
            <p>
              <strong>PKCE</strong>: required (S256); nps-bridge sends the challenge.
            </p>
          ) : null}
        </div>
        <h2>{`2. Give nps-bridge the app's keys`}</h2>
        <ErrorSummary errors={errors} labels={labels} />
        <PostForm action={oauthFormUrl(app.kind)} class="narrow" aria-label={`Connect ${app.label} with your OAuth app`}>
          {reconnect ? (
            <input type="hidden" name="connectionId" value={reconnect.id} />
          ) : (
            <TextField
              name="name"
              label="Connection name"
              value={form.name ?? app.label}
              error={errors.name}
              hint="How this connection is named in nps-bridge (unique)."
              autocomplete="off"
              required
              maxLength={100}
            />
          )}
          <TextField name="clientId" label="Client ID" value={form.clientId} error={errors.clientId} hint="Some vendors call it the consumer key." autocomplete="off" required />
          <TextField
            name="clientSecret"
            label="Client secret"
            type="password"
            error={errors.clientSecret}
            hint="Stored encrypted; never shown again."
            autocomplete="new-password"
            required
          />
          {required.map((f) => (
            <AccountField key={f.name} field={f} value={form.account?.[f.name]} error={errors[`account.${f.name}`]} />
          ))}
          {optional.length ? (
            <details open={optional.some((f) => errors[`account.${f.name}`] || form.account?.[f.name])}>
              <summary>Another address (optional)</summary>
              {optional.map((f) => (
                <AccountField key={f.name} field={f} value={form.account?.[f.name]} error={errors[`account.${f.name}`]} />
              ))}
            </details>
          ) : null}
          <div class="actions">
            <button type="submit">Save and continue</button>
          </div>
        </PostForm>
        <h2>Without an OAuth app</h2>
        <p>
          <a href={credentialsFormUrl(app.kind)}>{`Connect ${app.label} with a token or key instead`}</a>
        </p>
      </div>
    ),
  });
}

/** After the keys were stored: the link to the vendor's consent page (a plain link: the page's form-action stays 'self'). */
export function continuePage(ctx: PageContext, app: OAuthAppDto, started: OAuthStartedDto): string {
  return renderPage(ctx, {
    title: `Continue to ${app.label}`,
    children: (
      <div class="narrow">
        <p>{`The app's keys are saved, encrypted. Now approve access in ${app.label}: sign in there if it asks, check the scopes and allow them. ${app.label} then sends you back here.`}</p>
        <p>
          <a class="button" href={started.authorizeUrl}>{`Continue to ${app.label}`}</a>
        </p>
        <p class="hint">
          This link works once, until <DateTime at={started.expiresAt} />.
        </p>
        <p>
          <a href={oauthFormUrl(app.kind)}>Wrong keys? Start again</a>
        </p>
      </div>
    ),
  });
}

/** Where the vendor sent the browser back: connected (with the first test), or the vendor's words. */
export interface OAuthResult {
  label: string;
  outcome: OAuthOutcomeDto;
  isCrm: boolean;
  /** The connection made (or signed in again), when it was. */
  connection?: ConnectionDto;
  /** Its first test could not run: the vendor's words. */
  testProblem?: string;
  /** Its latest sync (a CRM's first one starts as the connection is made). */
  lastRun?: SyncRunDto;
}

export function oauthResultPage(ctx: PageContext, { label, outcome, isCrm, connection, testProblem, lastRun }: OAuthResult): string {
  if (outcome.status === 'connected' && connection) {
    return renderPage(ctx, {
      title: `${label} is connected`,
      children: (
        <>
          <p role="status">{`${label} approved access: the connection “${connection.name}” is made, and its tokens are stored encrypted (renewed when they expire).`}</p>
          {testProblem ? <VendorProblem title="The first test could not run" vendor={label} words={testProblem} /> : <TestResult test={connection.lastTest} vendor={label} />}
          <h2>Next</h2>
          <ol>
            {isCrm ? (
              <li>
                <a href={`${connectionUrl(connection.id)}/fields`}>Choose fields</a>: which fields nps-bridge reads and writes, from {label}'s own list.
              </li>
            ) : null}
            <li>
              <a href={connectionUrl(connection.id)}>Run the setup</a>
              {isCrm ? ': the NPS fields in your CRM.' : ': the webhook and trigger for solved tickets, and the score field.'}
            </li>
            {isCrm ? (
              <li>
                <a href={lastRun ? syncRunUrl(connection.id, lastRun.id) : connectionUrl(connection.id)}>Watch the sync</a>: the first one started as soon as the connection was
                made.
              </li>
            ) : null}
          </ol>
          <p>
            <a class="button" href={connectionUrl(connection.id)}>{`Open ${connection.name}`}</a>
          </p>
        </>
      ),
    });
  }
  const waiting = outcome.status === 'pending';
  return renderPage(ctx, {
    title: waiting ? `Waiting for ${label}` : outcome.status === 'expired' ? 'This sign-in expired' : `${label} did not connect`,
    children: (
      <>
        {waiting ? (
          <p>{`This sign-in has not come back from ${label} yet. Finish it in ${label}'s page, or start again.`}</p>
        ) : outcome.status === 'expired' ? (
          <p>{`${label} did not send you back within 10 minutes. Nothing was connected.`}</p>
        ) : (
          <>
            <VendorProblem title="Nothing was connected" vendor={label} words={outcome.error?.message ?? 'nothing'} />
            <p>
              Code: <code>{outcome.error?.code ?? 'unknown'}</code>
            </p>
          </>
        )}
        <p>
          <a class="button" href={oauthFormUrl(outcome.kind)}>
            Start again
          </a>
        </p>
        <p>
          <a href={CONNECTIONS_URL}>Back to connections</a>
        </p>
      </>
    ),
  });
}
