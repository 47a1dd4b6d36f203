import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BaseClient, errors as OpenIdErrors, TokenSet } from 'openid-client';
import { APP_CONFIG, AppConfig, CLOCK, Clock, ConsoleOidcConfig, publicBaseUrl } from '@libs/config/src';
import { ConsoleUser, ConsoleUserService } from './console-users.service';

/** Where the provider sends the browser back; register `<PUBLIC_URL>/console/oidc/callback` with it. */
export const SINGLE_SIGN_ON_CALLBACK_PATH = '/console/oidc/callback';
/** How long a person has at the provider before the sign-in started here is refused. */
export const SINGLE_SIGN_ON_MINUTES = 10;
/** Who signs a person in, as the audit log records a user made at their first sign-in. */
export const SINGLE_SIGN_ON_ACTOR = 'console_single_sign_on';

/**
 * A sign-in sent to the provider, as the browser's session keeps it until the provider sends the
 * browser back: the state, nonce and PKCE verifier the answer must match. Used once.
 */
export interface SingleSignOnFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** The console page to open afterwards (already checked by the caller). */
  next?: string;
}

export type SingleSignOnProblem =
  'unavailable' | 'no_flow' | 'expired' | 'state_mismatch' | 'provider_refused' | 'not_verifiable' | 'no_email' | 'unverified_email' | 'unknown_user';

/** A single sign-on that did not sign anyone in; the message is for the person, in words they can act on. */
export class SingleSignOnRefused extends Error {
  constructor(
    readonly problem: SingleSignOnProblem,
    message: string,
  ) {
    super(message);
    this.name = 'SingleSignOnRefused';
  }
}

/**
 * openid-client, loaded at the first single sign-on: a process that never signs anyone in (a
 * worker, or an api without CONSOLE_OIDC_ISSUER) does not hold it (~13 MB).
 */
type OpenIdClient = typeof import('openid-client');

/** The discovered provider's client, with the library that made it. */
interface Discovered {
  openid: OpenIdClient;
  client: BaseClient;
}

/** What went wrong reaching the provider, in a few words (never a secret: no URL with a code, no token). */
function reachProblem(error: unknown, errors?: typeof OpenIdErrors): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code === 'ECONNREFUSED' ? 'the connection was refused' : code;
  if (errors && error instanceof errors.OPError) return error.error_description ? `${error.error}: ${error.error_description}` : (error.error ?? error.message);
  return (error as Error).message;
}

const isNetworkProblem = (error: unknown, errors: typeof OpenIdErrors) =>
  typeof (error as { code?: unknown }).code === 'string' || (error instanceof errors.RPError && /timed out|expected 200 OK/.test(error.message));

/**
 * Single sign-on to the console with OpenID Connect (openid-client): the authorization-code flow
 * with PKCE (S256), state and nonce, the provider found by discovery from its issuer URL, the ID
 * token checked by the library (signature against the provider's keys, issuer, audience, expiry,
 * nonce). A person is signed in as the console user with their email, which the provider must
 * have verified (`email_verified: true`), matched ignoring case. Nobody else gets in, unless
 * their email's domain is in CONSOLE_OIDC_ALLOWED_DOMAINS: then a console user without a
 * password is made at their first sign-in, with CONSOLE_OIDC_NEW_USER_ROLE (viewer by default).
 *
 * The flow's secrets live in the browser's console session, not here, so any api process can
 * finish a sign-in another one started.
 */
@Injectable()
export class ConsoleSingleSignOnService {
  private readonly logger = new Logger('ConsoleSingleSignOn');
  /** The discovered provider; forgotten when discovery failed, so the next sign-in tries again. */
  private client?: Promise<Discovered>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly users: ConsoleUserService,
  ) {}

  /** The provider as the sign-in page names it; undefined when single sign-on is not configured. */
  get provider(): { name: string } | undefined {
    return this.config.consoleOidc ? { name: this.config.consoleOidc.name } : undefined;
  }

  /** The URL to register with the provider as the redirect (callback) URI. */
  callbackUrl(): string {
    return `${publicBaseUrl(this.config)}${SINGLE_SIGN_ON_CALLBACK_PATH}`;
  }

  /** Where to send the browser to sign in at the provider, and the flow to keep in its session until it comes back. */
  async start(next?: string): Promise<{ authorizationUrl: string; flow: SingleSignOnFlow }> {
    const { openid, client } = await this.discovered();
    const { generators } = openid;
    const flow: SingleSignOnFlow = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      startedAt: this.clock.now().getTime(),
      ...(next ? { next } : {}),
    };
    const authorizationUrl = client.authorizationUrl({
      scope: 'openid email',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: generators.codeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl, flow };
  }

  /**
   * The provider sent the browser back with `query`: the console user it signed in (sign-in
   * recorded), or SingleSignOnRefused saying why not. `flow` is the one this browser started
   * (undefined when it started none, or used it already).
   */
  async finish(flow: SingleSignOnFlow | undefined, query: Record<string, unknown>): Promise<ConsoleUser> {
    const oidc = this.settings();
    const again = `Start again with “Sign in with ${oidc.name}”.`;
    if (!flow) throw this.refused('no_flow', `This sign-in was not started in this browser, or was already used. ${again}`);
    if (this.clock.now().getTime() - flow.startedAt > SINGLE_SIGN_ON_MINUTES * 60_000) {
      throw this.refused('expired', `The sign-in at ${oidc.name} took longer than ${SINGLE_SIGN_ON_MINUTES} minutes. ${again}`);
    }
    const { openid, client } = await this.discovered();
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string') params[key] = value;

    let claims: Record<string, unknown>;
    try {
      const tokens: TokenSet = await client.callback(this.callbackUrl(), params, { state: flow.state, nonce: flow.nonce, code_verifier: flow.codeVerifier, response_type: 'code' });
      claims = { ...tokens.claims() };
      // Many providers put profile claims in the userinfo answer only, when an access token came with the ID token.
      if ((claims.email === undefined || claims.email_verified === undefined) && tokens.access_token) claims = { ...(await client.userinfo(tokens)), ...claims };
    } catch (error) {
      throw this.explain(error, openid.errors, again);
    }

    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!email) {
      throw this.refused(
        'no_email',
        `${oidc.name} did not tell nps-bridge your email address, so you cannot be matched to a console user. Ask your admin to allow the email scope for nps-bridge.`,
      );
    }
    if (claims.email_verified !== true) {
      throw this.refused(
        'unverified_email',
        `${oidc.name} has not verified your email address ${email}, so it cannot be matched to a console user. Verify it with ${oidc.name}, then sign in again.`,
      );
    }
    const user = (await this.users.findByEmail(email)) ?? (this.mayJoin(email) ? await this.users.createForSingleSignOn(email, oidc.newUserRole, SINGLE_SIGN_ON_ACTOR) : undefined);
    if (!user) {
      throw this.refused('unknown_user', `No console user has the email ${email}. Ask an nps-bridge admin to add you (Operations → Console users), then sign in again.`);
    }
    await this.users.recordSignIn(user.id);
    return { ...user, lastLoginAt: this.clock.now() };
  }

  private settings(): ConsoleOidcConfig {
    if (!this.config.consoleOidc) throw new Error('single sign-on is not configured (CONSOLE_OIDC_ISSUER)');
    return this.config.consoleOidc;
  }

  private mayJoin(email: string): boolean {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    return this.settings().allowedDomains.includes(domain);
  }

  /** The provider's client, discovered once per process from the issuer URL. */
  private async discovered(): Promise<Discovered> {
    const oidc = this.settings();
    const openid = await import('openid-client');
    this.client ??= openid.Issuer.discover(oidc.issuer).then((issuer) => ({
      openid,
      client: new issuer.Client({ client_id: oidc.clientId, client_secret: oidc.clientSecret, redirect_uris: [this.callbackUrl()], response_types: ['code'] }),
    }));
    try {
      return await this.client;
    } catch (error) {
      this.client = undefined;
      throw this.refused(
        'unavailable',
        `Sign-in with ${oidc.name} is not available right now: nps-bridge could not reach it (${reachProblem(error, openid.errors)}). Try again in a few minutes, or sign in with your email and password.`,
      );
    }
  }

  private explain(error: unknown, errors: typeof OpenIdErrors, again: string): SingleSignOnRefused {
    const { name } = this.settings();
    if (error instanceof errors.RPError && /^state mismatch/.test(error.message)) {
      return this.refused(
        'state_mismatch',
        `The answer from ${name} does not belong to the sign-in started in this browser (its state does not match), so it was refused. ${again}`,
      );
    }
    if (error instanceof errors.OPError) return this.refused('provider_refused', `${name} did not sign you in (${reachProblem(error, errors)}). ${again}`);
    if (isNetworkProblem(error, errors)) {
      return this.refused('unavailable', `nps-bridge could not finish the sign-in: ${name} did not answer (${reachProblem(error, errors)}). Try again in a few minutes.`);
    }
    if (error instanceof errors.RPError) return this.refused('not_verifiable', `The answer from ${name} could not be verified (${error.message}), so it was refused. ${again}`);
    throw error;
  }

  private refused(problem: SingleSignOnProblem, message: string): SingleSignOnRefused {
    this.logger.warn(`single sign-on refused: ${problem}`);
    return new SingleSignOnRefused(problem, message);
  }
}
