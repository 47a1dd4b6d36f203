import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, haveChromium, launchChromium, makeConsoleUser } from './support/console';
import { startTestOidcProvider, TestOidcProvider } from './support/oidc-provider';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console single sign-on browser tests: no chromium (apt-get install chromium)');

const PROVIDER = 'Acme Login';
const CLIENT = { client_id: 'nps-bridge-console', client_secret: 'the console client secret at Acme Login' };
const DANA = { email: 'dana.reyes@acme.example', password: 'correct horse battery staple' };
const LEE = { email: 'lee@acme.example', password: 'viewer password 1234' };
/** Who the provider signs in, by the login typed on its (development) sign-in page. */
const ACCOUNTS = {
  dana: { email: 'Dana.Reyes@ACME.example', email_verified: true }, // a console user, whatever the case
  lee: { email: LEE.email, email_verified: false }, // a console user, but the provider has not verified the address
  stranger: { email: 'stranger@elsewhere.example', email_verified: true }, // no console user
  sam: { email: 'sam@join.example', email_verified: true }, // no console user yet, in an allowed domain
};

describe('console single sign-on with OpenID Connect (a real provider: oidc-provider)', () => {
  let provider: TestOidcProvider;
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;

  beforeAll(async () => {
    provider = await startTestOidcProvider();
    try {
      service = await startTestService(
        { api: true, worker: false, sandbox: false },
        {
          CONSOLE_OIDC_ISSUER: provider.issuer,
          CONSOLE_OIDC_CLIENT_ID: CLIENT.client_id,
          CONSOLE_OIDC_CLIENT_SECRET: CLIENT.client_secret,
          CONSOLE_OIDC_NAME: PROVIDER,
          CONSOLE_OIDC_ALLOWED_DOMAINS: 'join.example',
        },
      );
      db = service.app.get(DataSource);
      await makeConsoleUser(service.app, DANA.email, DANA.password, 'admin');
      await makeConsoleUser(service.app, LEE.email, LEE.password, 'viewer');
    } catch (error) {
      await provider.stop();
      throw error;
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await provider?.stop();
  });

  /** Whether any stored console session has someone signed in. */
  const signedInSessions = async () => (await db.query(`SELECT count(*)::int AS n FROM console_sessions WHERE sess ? 'console'`))[0].n as number;

  it('while the provider does not answer, "Sign in with …" comes back to the sign-in page saying so; nobody is signed in', async () => {
    // The provider listens but has no client yet: it answers 503, as a provider in trouble does.
    const agent = request.agent(service.url);
    const start = await agent.get('/console/oidc/start?next=%2Fconsole%2Faccounts');
    expect([start.status, start.headers.location]).toEqual([303, '/console/login?next=%2Fconsole%2Faccounts']);
    const login = await agent.get(start.headers.location);
    expect(login.status).toBe(200);
    expect(login.text).toContain(
      `Sign-in with ${PROVIDER} is not available right now: nps-bridge could not reach it (expected 200 OK, got: 503 Service Unavailable). Try again in a few minutes, or sign in with your email and password.`,
    );
    // Shown once: a reload is the plain sign-in page again.
    expect((await agent.get('/console/login')).text).not.toContain('is not available right now');
    expect(await signedInSessions()).toBe(0);
  });

  describe('with the provider answering', () => {
    beforeAll(async () => {
      await provider.configure({ ...CLIENT, redirect_uris: [`${service.url}/console/oidc/callback`] }, ACCOUNTS);
    });

    /** A browser of its own (no provider session carried over), reaching nothing but this machine (the provider's page imports a web font). */
    async function freshContext(): Promise<BrowserContext> {
      browser ??= await launchChromium();
      const context = await browser.newContext();
      await context.route(
        (url) => url.hostname !== '127.0.0.1',
        (route) => route.abort(),
      );
      return context;
    }

    /** On the sign-in page: "Sign in with Acme Login", then the provider's sign-in page; resolves on that page. */
    async function toProvider(page: Page, from = '/console/login'): Promise<void> {
      await page.goto(`${service.url}${from}`);
      await Promise.all([page.waitForURL((url) => url.origin === provider.issuer), page.getByRole('link', { name: `Sign in with ${PROVIDER}` }).click()]);
    }

    /** Signs in at the provider as `login`; resolves once the browser is back at nps-bridge. */
    async function signInAtProvider(page: Page, login: string): Promise<void> {
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('any password: the development provider takes any');
      await Promise.all([page.waitForURL((url) => url.origin === service.url), page.getByRole('button', { name: 'Sign-in' }).click()]);
    }

    const sessionId = async (context: BrowserContext) => {
      const cookie = (await context.cookies()).find((c) => c.name === 'npsb_console');
      return cookie ? /^s%3A([^.]+)\./.exec(cookie.value)![1] : undefined;
    };
    const sessionOf = async (context: BrowserContext) => {
      const rows = await db.query(`SELECT sess FROM console_sessions WHERE sid = $1`, [await sessionId(context)]);
      return rows[0]?.sess as Record<string, unknown> | undefined;
    };

    maybe(
      'the sign-in page offers "Sign in with Acme Login" beside the password form, with no serious axe violation at 390 and 1280 px; screenshots saved',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        for (const viewport of AXE_VIEWPORTS) {
          await page.setViewportSize(viewport);
          await page.goto(`${service.url}/console/login?next=%2Fconsole%2Faccounts`);
          const link = page.getByRole('link', { name: `Sign in with ${PROVIDER}` });
          expect(await link.getAttribute('href')).toBe('/console/oidc/start?next=%2Fconsole%2Faccounts');
          expect(await page.getByLabel('Email').count()).toBe(1);
          expect(await page.getByLabel('Password').count()).toBe(1);
          expect([viewport.width, await seriousAxeViolations(page)]).toEqual([viewport.width, []]);
          await page.screenshot({ path: artifactPath(`sign-in-single-sign-on${viewport.width < 600 ? '-390' : ''}`), fullPage: true });
        }
        await context.close();
      },
      60_000,
    );

    maybe(
      'a console user signs in at the provider and lands where they were going, signed in as the user with their verified email (ignoring case)',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        await page.goto(`${service.url}/console/operations/sync-runs`);
        expect(new URL(page.url()).pathname).toBe('/console/login');
        const before = await sessionId(context);
        await toProvider(page, new URL(page.url()).pathname + new URL(page.url()).search);
        await signInAtProvider(page, 'dana');

        expect(page.url()).toBe(`${service.url}/console/operations/sync-runs`);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sync runs');
        expect(await page.locator('.account .email').textContent()).toBe(DANA.email);
        // A new session id, holding exactly who signed in; the sign-in is recorded.
        expect(await sessionId(context)).not.toBe(before);
        const [user] = await db.query(`SELECT id, last_login_at FROM console_users WHERE email = $1`, [DANA.email]);
        expect((await sessionOf(context))?.console).toEqual({ userId: user.id, role: 'admin' });
        expect((await sessionOf(context))?.singleSignOn).toBeUndefined();
        expect(await signedInSessions()).toBe(1); // the count the refusals below compare with sees a sign-in
        expect(user.last_login_at).not.toBeNull();
        // No second user for the same person: the provider's spelling of the email matched.
        expect(await db.query(`SELECT count(*)::int AS n FROM console_users WHERE lower(email) = $1`, [DANA.email])).toEqual([{ n: 1 }]);
        await context.close();
      },
      60_000,
    );

    maybe(
      'a person with no console user is refused on the sign-in page, in words saying what to do; no user or session is made',
      async () => {
        const users = (await db.query(`SELECT count(*)::int AS n FROM console_users`))[0].n;
        const signedIn = await signedInSessions();
        const context = await freshContext();
        const page = await context.newPage();
        await toProvider(page);
        await signInAtProvider(page, 'stranger');
        expect(new URL(page.url()).pathname).toBe('/console/login');
        expect(await page.getByRole('alert').textContent()).toBe(
          'There is a problemNo console user has the email stranger@elsewhere.example. Ask an nps-bridge admin to add you (Operations → Console users), then sign in again.',
        );
        expect((await sessionOf(context))?.console).toBeUndefined();
        expect(await db.query(`SELECT count(*)::int AS n FROM console_users`)).toEqual([{ n: users }]);
        expect(await signedInSessions()).toBe(signedIn);
        await context.close();
      },
      60_000,
    );

    maybe(
      'an email the provider has not verified is refused, even when a console user has it',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        await toProvider(page);
        await signInAtProvider(page, 'lee');
        expect(new URL(page.url()).pathname).toBe('/console/login');
        expect(await page.getByRole('alert').textContent()).toBe(
          `There is a problem${PROVIDER} has not verified your email address ${LEE.email}, so it cannot be matched to a console user. Verify it with ${PROVIDER}, then sign in again.`,
        );
        expect((await sessionOf(context))?.console).toBeUndefined();
        await context.close();
      },
      60_000,
    );

    maybe(
      'someone from an allowed domain (CONSOLE_OIDC_ALLOWED_DOMAINS) gets a viewer console user without a password at their first sign-in, audited',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        await toProvider(page);
        await signInAtProvider(page, 'sam');
        expect(page.url()).toBe(`${service.url}/console`);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
        const [user] = await db.query(`SELECT id, email, role, password_hash, last_login_at FROM console_users WHERE email = 'sam@join.example'`);
        expect(user).toMatchObject({ role: 'viewer', password_hash: null, last_login_at: expect.any(Date) });
        expect((await sessionOf(context))?.console).toEqual({ userId: user.id, role: 'viewer' });
        expect(await db.query(`SELECT actor, action, details FROM audit_log WHERE entity_id = $1`, [user.id])).toEqual([
          { actor: 'console_single_sign_on', action: 'console_user.created', details: { email: 'sam@join.example', role: 'viewer' } },
        ]);
        // A viewer: admin pages stay closed.
        const admin = await page.goto(`${service.url}/console/operations`);
        expect(admin!.status()).toBe(403);
        await context.close();
      },
      60_000,
    );

    maybe(
      'an answer whose state was changed is refused (and the genuine one cannot be used after it): a sign-in only finishes in the browser that started it',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        await toProvider(page);
        // Sign in at the provider with the browser's cookies but without following its redirects, to hold the answer.
        const action = new URL((await page.locator('form').getAttribute('action'))!, page.url()).href;
        const submitted = await context.request.post(action, { form: { prompt: 'login', login: 'dana', password: 'any' }, maxRedirects: 0 });
        const resumed = await context.request.get(new URL(submitted.headers().location, provider.issuer).href, { maxRedirects: 0 });
        const answer = new URL(resumed.headers().location);
        expect(answer.origin + answer.pathname).toBe(`${service.url}/console/oidc/callback`);
        expect(answer.searchParams.get('code')).toBeTruthy();

        const tampered = new URL(answer);
        tampered.searchParams.set('state', `${answer.searchParams.get('state')}x`);
        await page.goto(tampered.href);
        expect(new URL(page.url()).pathname).toBe('/console/login');
        expect(await page.getByRole('alert').textContent()).toBe(
          `There is a problemThe answer from ${PROVIDER} does not belong to the sign-in started in this browser (its state does not match), so it was refused. Start again with “Sign in with ${PROVIDER}”.`,
        );
        expect((await sessionOf(context))?.console).toBeUndefined();

        // The flow was used up by the refused answer: the genuine one is refused too.
        await page.goto(answer.href);
        expect(await page.getByRole('alert').textContent()).toBe(
          `There is a problemThis sign-in was not started in this browser, or was already used. Start again with “Sign in with ${PROVIDER}”.`,
        );
        expect((await sessionOf(context))?.console).toBeUndefined();
        await context.close();
      },
      60_000,
    );

    maybe(
      'a person who cancels at the provider comes back to the sign-in page with its reason',
      async () => {
        const context = await freshContext();
        const page = await context.newPage();
        await toProvider(page);
        await Promise.all([page.waitForURL((url) => url.origin === service.url), page.getByRole('link', { name: '[ Cancel ]' }).click()]);
        expect(new URL(page.url()).pathname).toBe('/console/login');
        expect(await page.getByRole('alert').textContent()).toBe(
          `There is a problem${PROVIDER} did not sign you in (access_denied: End-User aborted interaction). Start again with “Sign in with ${PROVIDER}”.`,
        );
        expect((await sessionOf(context))?.console).toBeUndefined();
        await context.close();
      },
      60_000,
    );

    it('a callback no sign-in in this browser started (or one with nothing in it) goes back to the sign-in page, never a 500', async () => {
      const agent = request.agent(service.url);
      const stray = await agent.get('/console/oidc/callback?code=abc&state=def');
      expect([stray.status, stray.headers.location]).toEqual([303, '/console/login']);
      expect((await agent.get('/console/login')).text).toContain('This sign-in was not started in this browser, or was already used.');
      const bare = await agent.get('/console/oidc/callback');
      expect([bare.status, bare.headers.location]).toEqual([303, '/console/login']);
    });
  });
});
