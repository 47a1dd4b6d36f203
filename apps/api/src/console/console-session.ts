import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import session, { Store } from 'express-session';
import type { AppConfig } from '@libs/config/src';
import type { ConsoleRole } from '@libs/app/src/console-users/console-users.service';
import type { SingleSignOnFlow } from '@libs/app/src/console-users/console-single-sign-on.service';

/** Who is signed in, as the session keeps it. Password sign-in and single sign-on both set exactly this. */
export interface ConsoleSessionUser {
  userId: string;
  role: ConsoleRole;
}

declare module 'express-session' {
  interface SessionData {
    console?: ConsoleSessionUser;
    /** One sentence for the next page shown (after a redirect): what the last form did. */
    notice?: string;
    /** A single sign-on sent to the provider, until the provider sends the browser back (used once). */
    singleSignOn?: SingleSignOnFlow;
    /** Why the last single sign-on did not sign anyone in, for the sign-in page it returns to (shown once). */
    signInProblem?: string;
  }
}

/** The session cookie's name; it is sent to /console paths only. */
export const CONSOLE_COOKIE = 'npsb_console';
/** A session unused this long ends (each request renews it). */
export const CONSOLE_SESSION_HOURS = 8;

/**
 * The cookie signing secrets, derived from ENCRYPTION_KEY (and the previous keys while they are
 * being rotated out, so sessions survive a rotation): no new secret to configure, and none stored.
 */
function signingSecrets(config: AppConfig): string[] {
  return [config.encryptionKey, ...config.encryptionKeyPrevious].map((key) => createHmac('sha256', key).update('nps-bridge console session cookie').digest('base64url'));
}

/**
 * express-session for the console, its sessions in Postgres (connect-pg-simple). The cookie is
 * HttpOnly, SameSite=Lax, limited to /console, and Secure when PUBLIC_URL is https (then the
 * proxy's X-Forwarded-Proto says whether the request came over https) or the request itself did.
 * No session is stored until something is put in it (a sign-in form's CSRF token, a sign-in).
 */
export function consoleSession(config: AppConfig, store: Store): RequestHandler {
  const https = config.publicUrl.startsWith('https:');
  return session({
    name: CONSOLE_COOKIE,
    secret: signingSecrets(config),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    proxy: https ? true : undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: https ? true : 'auto', path: '/console', maxAge: CONSOLE_SESSION_HOURS * 3_600_000 },
  });
}

const promised = (run: (done: (error?: unknown) => void) => void) => new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

/**
 * Signs a person in: a new session id (the one from before sign-in, which a fixation attack may
 * know, is dropped with its CSRF token), holding only who they are. The seam for single sign-on:
 * its callback calls this with the user it found.
 */
export async function startConsoleSession(req: Request, user: { id: string; role: ConsoleRole }): Promise<void> {
  await promised((done) => req.session.regenerate(done));
  req.session.console = { userId: user.id, role: user.role };
  await promised((done) => req.session.save(done));
}

/** Signs out: the session is deleted from Postgres and the cookie cleared. */
export async function endConsoleSession(req: Request, res: Response): Promise<void> {
  if (req.session) await promised((done) => req.session.destroy(done));
  res.clearCookie(CONSOLE_COOKIE, { path: '/console', httpOnly: true, sameSite: 'lax' });
}
