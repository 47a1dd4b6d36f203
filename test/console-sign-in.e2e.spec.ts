import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { consoleBannerLines } from '@libs/app/src/runtime/launch';
import { CONSOLE_NAV } from '@apps/api/src/console/console-nav';
import { csrfOf, haveChromium, launchChromium, makeConsoleUser, signedInAgent } from './support/console';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console browser tests: no chromium (apt-get install chromium)');

const ROOT = join(__dirname, '..');
const ADMIN = { email: 'Dana.Reyes@acme.example', password: 'correct horse battery staple' };
const VIEWER = { email: 'lee@acme.example', password: 'viewer password 1234' };
const ADMIN_PAGES = [
  '/console/operations',
  '/console/operations/write-backs',
  '/console/operations/write-backs?show=waiting',
  '/console/operations/sync-runs',
  '/console/operations/webhook-deliveries',
  '/console/operations/admin-keys',
  '/console/operations/users',
];

/** `npm run admin:user -- …` against the test's database, as a person runs it on the server. */
function adminUser(databaseUrl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'admin:user', '--', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'silent' },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('console sign-in, sessions, roles and CSRF', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
  });
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const http = () => request(service.url);

  it('with no console user yet: the all-in-one prints a one-time link that makes the first admin, once', async () => {
    const [consoleLine, ...firstStart] = await consoleBannerLines(service);
    expect(consoleLine).toBe(`console:         ${service.url}/console`);
    const superseded = /(http:\S+\/console\/setup\?token=\S+)/.exec(firstStart.join('\n'))![1];
    // Each start prints a new link and withdraws the older one.
    const link = /(http:\S+\/console\/setup\?token=\S+)/.exec((await consoleBannerLines(service)).join('\n'))![1];
    expect(link).not.toBe(superseded);
    expect((await http().get(new URL(superseded).pathname + new URL(superseded).search)).status).toBe(410);

    const agent = request.agent(service.url);
    const form = await agent.get(new URL(link).pathname + new URL(link).search);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<h1>Create the first admin</h1>');
    const token = new URL(link).searchParams.get('token')!;
    const post = (fields: Record<string, string>) =>
      agent
        .post('/console/setup')
        .type('form')
        .send({ _csrf: csrfOf(form.text), token, ...fields });

    const short = await post({ email: ADMIN.email, password: 'too short', passwordAgain: 'too short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Password must be at least 12 characters (it has 9)');
    const mismatch = await post({ email: ADMIN.email, password: ADMIN.password, passwordAgain: `${ADMIN.password}!` });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Password again must be the same as the password');
    const badEmail = await post({ email: 'dana', password: ADMIN.password, passwordAgain: ADMIN.password });
    expect(badEmail.status).toBe(400);
    expect(badEmail.text).toContain('Email must be an email address like name@example.com');

    const made = await post({ email: ADMIN.email, password: ADMIN.password, passwordAgain: ADMIN.password });
    expect([made.status, made.headers.location]).toEqual([303, '/console']);
    const dashboard = await agent.get('/console');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain(ADMIN.email);
    expect(dashboard.text).toContain('You are the first admin of this console');
    expect(await db.query(`SELECT email, role, password_hash LIKE '$argon2id$%' AS argon2id FROM console_users`)).toEqual([{ email: ADMIN.email, role: 'admin', argon2id: true }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM console_setup_tokens WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [token])).toEqual([{ n: 1 }]);

    // Used: the link and its form are gone, and a new start prints no link.
    const again = await http().get(new URL(link).pathname + new URL(link).search);
    expect(again.status).toBe(410);
    expect(again.text).toContain('This setup link no longer works');
    const replay = await agent
      .post('/console/setup')
      .type('form')
      .send({ _csrf: csrfOf(dashboard.text), token, email: 'mallory@evil.example', password: 'x'.repeat(20), passwordAgain: 'x'.repeat(20) });
    expect(replay.status).toBe(410);
    expect(await consoleBannerLines(service)).toEqual([`console:         ${service.url}/console`]);
    expect((await db.query(`SELECT count(*)::int AS n FROM console_users`))[0].n).toBe(1);
  });

  it('/ leads to the console; a console page without a session redirects to sign-in with where it was going; /api keeps its admin keys', async () => {
    const root = await http().get('/');
    expect([root.status, root.headers.location]).toEqual([302, '/console']);
    for (const path of ['/console', '/console/operations/users', '/console/operations/write-backs?show=waiting']) {
      const answer = await http().get(path);
      expect([path, answer.status, answer.headers.location]).toEqual([path, 302, `/console/login?next=${encodeURIComponent(path)}`]);
    }
    const api = await http().get('/api/admin-keys');
    expect([api.status, api.body.message]).toEqual([401, 'Authorization: Bearer <admin key> is required']);
    const key = (await service.app.get(AdminKeyService).create('console test', 'test')).key;
    expect((await http().get('/api/admin-keys').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    // An unknown console page is a page too, not JSON.
    const missing = await http().get('/console/no-such-page');
    expect([missing.status, missing.headers['content-type']]).toEqual([404, expect.stringMatching(/^text\/html/)]);
    expect(missing.text).toContain('<h1>Page not found</h1>');
  });

  it('console pages carry a strict CSP (no inline style or script), no-store, and HttpOnly SameSite=Lax cookies limited to /console', async () => {
    const login = await http().get('/console/login');
    const csp = Object.fromEntries(
      String(login.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );
    expect([csp['style-src'], csp['script-src'], csp['script-src-attr'], csp['form-action'], csp['frame-ancestors']]).toEqual(["'self'", "'self'", "'none'", "'self'", "'none'"]);
    expect(login.headers['cache-control']).toBe('no-store');
    expect(login.text).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^npsb_console=/);
    expect(cookie).toMatch(/; Path=\/console/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const css = await http().get(/href="(\/console\/assets\/console\.css\?v=[0-9a-f]+)"/.exec(login.text)![1]);
    expect([css.status, css.headers['content-type'], css.headers['cache-control']]).toEqual([200, 'text/css; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect(css.headers['set-cookie']).toBeUndefined();
  });

  maybe(
    'a person signs in (a new session id), goes where they were going, and signs out (the session is deleted)',
    async () => {
      browser ??= await launchChromium();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${service.url}/console/operations/sync-runs`);
      expect(new URL(page.url()).pathname).toBe('/console/login');
      const before = (await context.cookies()).find((c) => c.name === 'npsb_console')!;
      expect(before).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });

      await page.getByLabel('Email').fill(ADMIN.email.toUpperCase()); // emails match ignoring case
      await page.getByLabel('Password').fill(ADMIN.password);
      await Promise.all([page.waitForURL(`${service.url}/console/operations/sync-runs`), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sync runs');
      const after = (await context.cookies()).find((c) => c.name === 'npsb_console')!;
      expect(after.value).not.toBe(before.value);
      const sid = /^s%3A([^.]+)\./.exec(after.value)![1];
      // An admin's navigation has every area of the console.
      expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents()).toEqual(CONSOLE_NAV.map((item) => item.label));
      const [row] = await db.query(`SELECT sess -> 'console' AS console FROM console_sessions WHERE sid = $1`, [sid]);
      const [user] = await db.query(`SELECT id, last_login_at FROM console_users WHERE email = $1`, [ADMIN.email]);
      expect(row.console).toEqual({ userId: user.id, role: 'admin' });
      expect(user.last_login_at).not.toBeNull();

      await Promise.all([page.waitForURL(/\/console\/login\?signed-out=1$/), page.getByRole('button', { name: 'Sign out' }).click()]);
      expect(await page.getByRole('status').textContent()).toBe('You have signed out.');
      expect(await db.query(`SELECT count(*)::int AS n FROM console_sessions WHERE sid = $1`, [sid])).toEqual([{ n: 0 }]);
      await page.goto(`${service.url}/console`);
      expect(new URL(page.url()).pathname).toBe('/console/login');
      await context.close();
    },
    60_000,
  );

  maybe(
    'a wrong password and an unknown email get the same words and a 401 page',
    async () => {
      browser ??= await launchChromium();
      const page = await browser.newPage();
      const answers: string[] = [];
      for (const [email, password] of [
        [ADMIN.email, 'not the password at all'],
        ['nobody@acme.example', ADMIN.password],
      ]) {
        await page.goto(`${service.url}/console/login`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/console/login') && r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Sign in' }).click(),
        ]);
        expect(response.status()).toBe(401);
        answers.push((await page.getByRole('alert').textContent())!);
        expect(await page.getByLabel('Email').inputValue()).toBe(email);
      }
      expect(answers).toEqual([
        'There is a problemThe email or password is not right. Check both and try again.',
        'There is a problemThe email or password is not right. Check both and try again.',
      ]);
      await page.close();
    },
    60_000,
  );

  it('a viewer sees the dashboard; every admin page and action answers 403 with a readable page', async () => {
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    const dashboard = await viewer.get('/console');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('<h1>Dashboard</h1>');
    expect(dashboard.text).not.toContain('href="/console/operations"');
    for (const path of ADMIN_PAGES) {
      const page = await viewer.get(path);
      expect([path, page.status, page.headers['content-type']]).toEqual([path, 403, expect.stringMatching(/^text\/html/)]);
      expect(page.text).toContain('<h1>You do not have access to this page</h1>');
      expect(page.text).toContain('This page is for admins.');
    }
    const keysBefore = (await service.app.get(AdminKeyService).list()).length;
    const attempt = await viewer
      .post('/console/operations/admin-keys')
      .type('form')
      .send({ _csrf: csrfOf(dashboard.text), name: 'viewer key' });
    expect(attempt.status).toBe(403);
    expect((await service.app.get(AdminKeyService).list()).length).toBe(keysBefore);
  });

  it('a form posted without its CSRF token (or with another session’s) is refused with 403 and a readable page', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const keys = await admin.get('/console/operations/admin-keys');
    const other = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    const othersToken = csrfOf((await other.get('/console')).text);
    for (const fields of [{ name: 'no token' }, { name: 'wrong token', _csrf: othersToken }, { name: 'empty token', _csrf: '' }]) {
      const refused = await admin.post('/console/operations/admin-keys').type('form').send(fields);
      expect([fields.name, refused.status]).toEqual([fields.name, 403]);
      expect(refused.text).toContain('<h1>This form could not be accepted</h1>');
      expect(refused.text).toContain('Go back, reload the page and send the form again.');
    }
    const noSession = await http().post('/console/login').type('form').send({ email: ADMIN.email, password: ADMIN.password });
    expect(noSession.status).toBe(403);
    expect(noSession.text).toContain('<h1>This form could not be accepted</h1>');
    expect((await service.app.get(AdminKeyService).list()).map((k) => k.name)).not.toEqual(expect.arrayContaining(['no token', 'wrong token', 'empty token']));
    // The same form with its token goes through.
    const made = await admin
      .post('/console/operations/admin-keys')
      .type('form')
      .send({ _csrf: csrfOf(keys.text), name: 'with token' });
    expect(made.status).toBe(201);
  });

  it('`npm run admin:user` creates a user who can sign in, and refuses bad input naming the flag', async () => {
    const made = await adminUser(service.db.url, ['--email', 'ops@acme.example', '--password', 'a long enough password', '--role', 'viewer']);
    expect([made.code, made.stdout.trim(), made.stderr]).toEqual([0, 'created console viewer ops@acme.example; sign in at /console/login', '']);
    const agent = await signedInAgent(service.url, 'ops@acme.example', 'a long enough password');
    expect((await agent.get('/console')).status).toBe(200);
    expect((await agent.get('/console/operations')).status).toBe(403);

    const refusals: Array<[string[], string]> = [
      [['--email', 'x@acme.example', '--password', 'short'], '--password: must be at least 12 characters (it has 5)'],
      [['--email', 'not-an-email', '--password', 'a long enough password'], '--email: must be an email address like name@example.com'],
      [['--email', 'x@acme.example', '--password', 'a long enough password', '--role', 'owner'], '--role: must be one of admin, viewer'],
      [['--password', 'a long enough password'], '--email: is required'],
      [['--email', 'OPS@acme.example', '--password', 'a long enough password'], '--email: is already used by another console user (emails are unique, ignoring case)'],
      [['--email', 'x@acme.example', '--pasword', 'a long enough password'], '--pasword: is not an option'],
      [['--email'], '--email: needs a value'],
    ];
    for (const [args, words] of refusals) {
      const refused = await adminUser(service.db.url, args);
      expect([args.join(' '), refused.code, refused.stderr]).toEqual([args.join(' '), 1, expect.stringContaining(`admin:user: ${words}`)]);
    }
    // Only the one good command made a user.
    expect(await db.query(`SELECT email, role FROM console_users WHERE email ILIKE ANY (ARRAY['ops@%', 'x@%', 'not-an-email'])`)).toEqual([
      { email: 'ops@acme.example', role: 'viewer' },
    ]);
  }, 300_000);

  it('sign-in is throttled per client: past 10 failures in 15 minutes even the right password waits (429 with Retry-After)', async () => {
    // The failures of the tests above count too: start this client's count from zero.
    await db.query(`DELETE FROM request_throttles WHERE key LIKE 'console_sign_in%'`);
    const agent = request.agent(service.url);
    const form = await agent.get('/console/login');
    const attempt = (password: string) =>
      agent
        .post('/console/login')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email: VIEWER.email, password });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const blocked = await attempt(VIEWER.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('Too many failed sign-ins. Please wait');
  });
});
