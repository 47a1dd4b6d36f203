import { ErrorSummary, PostForm, TextField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { PASSWORD_MIN_LENGTH } from '@libs/app/src/console-users/console-password';

export interface SignInForm {
  email?: string;
  next?: string;
  /** The one message a failed sign-in gets, whatever was wrong. */
  failed?: string;
  signedOut?: boolean;
  /** The single sign-on provider, when configured: "Sign in with <name>". */
  singleSignOn?: { name: string };
}

export function signInPage(ctx: PageContext, form: SignInForm): string {
  return renderPage(ctx, {
    title: 'Sign in',
    children: (
      <div class="narrow">
        {form.signedOut ? (
          <p class="notice" role="status">
            You have signed out.
          </p>
        ) : null}
        {form.failed ? (
          <div class="error-summary" role="alert" aria-labelledby="sign-in-problem">
            <h2 id="sign-in-problem">There is a problem</h2>
            <p>{form.failed}</p>
          </div>
        ) : null}
        {form.singleSignOn ? (
          <>
            <p>
              <a class="button" href={form.next ? `/console/oidc/start?next=${encodeURIComponent(form.next)}` : '/console/oidc/start'}>
                {`Sign in with ${form.singleSignOn.name}`}
              </a>
            </p>
            <h2>Or with a password</h2>
          </>
        ) : null}
        <p>Sign in with the email and password your nps-bridge admin gave you.</p>
        <PostForm action="/console/login" aria-label="Sign in">
          {form.next ? <input type="hidden" name="next" value={form.next} /> : null}
          <TextField name="email" label="Email" type="email" value={form.email} autocomplete="username" required />
          <TextField name="password" label="Password" type="password" autocomplete="current-password" required />
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </PostForm>
        <h2>No account yet?</h2>
        <p>
          An admin can add you under Operations → Console users, or on the server with <code>npm run admin:user -- --email you@example.com --password …</code>.
        </p>
      </div>
    ),
  });
}

export interface SetupForm {
  token: string;
  email?: string;
  errors?: Record<string, string | undefined>;
}

const SETUP_LABELS = { email: 'Email', password: 'Password', passwordAgain: 'Password again' };

export function setupPage(ctx: PageContext, form: SetupForm): string {
  const errors = form.errors ?? {};
  return renderPage(ctx, {
    title: 'Create the first admin',
    children: (
      <div class="narrow">
        <p>
          No one can sign in to this nps-bridge console yet. This one-time link makes the first admin; more people can be added from the console afterwards. The link stops working
          once used.
        </p>
        <ErrorSummary errors={errors} labels={SETUP_LABELS} />
        <PostForm action="/console/setup" aria-label="Create the first admin">
          <input type="hidden" name="token" value={form.token} />
          <TextField name="email" label="Email" type="email" value={form.email} autocomplete="username" error={errors.email} required />
          <TextField
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            error={errors.password}
            minLength={PASSWORD_MIN_LENGTH}
            required
          />
          <TextField name="passwordAgain" label="Password again" type="password" autocomplete="new-password" error={errors.passwordAgain} required />
          <div class="actions">
            <button type="submit">Create admin and sign in</button>
          </div>
        </PostForm>
      </div>
    ),
  });
}

export function setupGonePage(ctx: PageContext, message: string): string {
  return renderPage(ctx, {
    title: 'This setup link no longer works',
    children: (
      <div class="narrow">
        <p>{message}</p>
        <p>
          If an admin exists, <a href="/console/login">sign in</a>. Otherwise restart nps-bridge with <code>npm start</code> for a new link, or create an admin on the server with{' '}
          <code>npm run admin:user -- --email you@example.com --password …</code>.
        </p>
      </div>
    ),
  });
}
