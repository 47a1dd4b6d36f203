import { createHash, randomBytes } from 'node:crypto';
import { Sleep } from './retry-policy';

/**
 * "Bring your own OAuth app": how a connector signs in through the OAuth 2.0 authorization code
 * grant (RFC 6749 §4.1), in the product's words. An admin registers an app with the vendor (the
 * callback URL and scopes come from here), gives us its client id and secret, approves access in
 * the vendor's consent page, and the connector turns the code into the credentials it keeps.
 */

/** What the code exchange needs besides the vendor's own account fields. */
export interface OAuthCodeExchange<A> {
  /** The account the admin named when starting (validated with the app's accountClass). */
  account: A;
  clientId: string;
  clientSecret: string;
  code: string;
  /** The callback URL the authorize request named: vendors compare the two. */
  redirectUri: string;
  /** PKCE (RFC 7636): the secret whose S256 hash went out as code_challenge. */
  codeVerifier?: string;
}

/** How the exchange reaches the vendor: tests make backoff instant and bound requests tighter. */
export interface OAuthExchangeContext {
  sleep?: Sleep;
  requestTimeoutMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface OAuthApp<A extends object = object> {
  /**
   * The class (class-validator) of what names the vendor account besides the app: a My Domain
   * URL, a subdomain, or another host (a sandbox). Errors name the field, like credentials.
   */
  accountClass: new () => A;
  /** The scopes the app must be registered with and the authorize request asks for, in the vendor's words. */
  scopes: readonly string[];
  /** Whether the authorize request carries a PKCE challenge (S256) and the exchange its verifier. */
  pkce: boolean;
  /** One sentence on where the admin registers the app (the vendor's menu), for the guided page. */
  registration: string;
  /** Where the admin's browser goes to approve access. */
  authorizeUrl(request: { account: A; clientId: string; redirectUri: string; state: string; codeChallenge?: string }): string;
  /**
   * Exchanges the code at the vendor's token endpoint. Resolves to the connection's credentials
   * (the connector's OAuth authType, tokens included) to store encrypted; a refusal throws a
   * VendorError in the vendor's words (invalid_grant, …) with kind 'auth'.
   */
  exchangeCode(request: OAuthCodeExchange<A>, context?: OAuthExchangeContext): Promise<Record<string, unknown>>;
}

/** A PKCE code verifier (RFC 7636 §4.1): 32 random bytes, base64url (43 characters). */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2): base64url(SHA-256(verifier)). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The token fields an OAuth connection keeps with its credentials. */
export interface OAuthTokenSet {
  accessToken?: string;
  refreshToken?: string;
  /** ISO 8601 instant the access token stops working, when the vendor says. */
  expiresAt?: string;
}

/**
 * Renews a connection's tokens once for every process: runs `renew` with the credentials as
 * stored now, holding the connection's renewal lock, and stores what it resolves to (encrypted).
 */
export type CredentialRenewal<C> = (renew: (stored: C) => Promise<C>) => Promise<C>;

export interface OAuthSessionOptions<C> {
  /** The vendor's refresh_token grant: new tokens for `stored` (its refresh token), the rest of it kept. */
  refresh: (stored: C) => Promise<C>;
  /** Cross-process renewal (the connector builder's); without it the session renews alone and reports through onCredentialsRefreshed. */
  renewCredentials?: CredentialRenewal<C>;
  onCredentialsRefreshed?: (credentials: C) => Promise<void>;
  /** How long before expiresAt the token counts as due. */
  marginMs: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

/**
 * One connection's OAuth tokens in a connector: the access token to send, whether it is due, and
 * a renewal shared by every caller. A caller whose token was refused (401) passes that token: if
 * the session renewed since, it gets the new one without another refresh. Across processes the
 * renewal runs under the connection's lock (CredentialRenewal): a process that finds the stored
 * tokens already renewed by another takes those instead of refreshing again, which matters where
 * a refresh token works once (vendors that rotate refresh tokens).
 */
export class OAuthSession<C extends OAuthTokenSet> {
  private current: C;
  private renewing: Promise<C> | undefined;

  constructor(
    credentials: C,
    private readonly options: OAuthSessionOptions<C>,
  ) {
    this.current = { ...credentials };
  }

  get credentials(): C {
    return { ...this.current };
  }

  get accessToken(): string | undefined {
    return this.current.accessToken;
  }

  /** No access token, or it expires within the margin. */
  due(): boolean {
    return this.isDue(this.current);
  }

  /**
   * Fresh tokens. `refused`: the access token a call was refused with (or undefined when the
   * token is due or missing); when the session already holds another, that one is the answer.
   */
  async renew(refused?: string): Promise<C> {
    if (this.renewing) return this.renewing;
    if (refused !== undefined && refused !== this.current.accessToken && !this.due()) return this.credentials;
    this.renewing = this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private isDue(credentials: C): boolean {
    if (!credentials.accessToken) return true;
    if (credentials.expiresAt === undefined) return false;
    return Date.parse(credentials.expiresAt) - this.options.marginMs <= (this.options.now ?? Date.now)();
  }

  private async renewOnce(): Promise<C> {
    const stale = this.current.accessToken;
    // Another process may have renewed the stored tokens since this session read them.
    const renewFrom = (stored: C): Promise<C> =>
      stored.accessToken && stored.accessToken !== stale && !this.isDue(stored) ? Promise.resolve(stored) : this.options.refresh(stored);
    let fresh: C;
    if (this.options.renewCredentials) {
      fresh = await this.options.renewCredentials(renewFrom);
    } else {
      fresh = await renewFrom(this.current);
      try {
        await this.options.onCredentialsRefreshed?.({ ...fresh });
      } catch (error) {
        // The new tokens work in this process either way; a later renewal stores them again.
        this.options.log?.('storing refreshed credentials failed', { message: (error as Error).message });
      }
    }
    if (fresh.accessToken !== stale) this.options.log?.('access token renewed', { expiresAt: fresh.expiresAt ?? null });
    this.current = { ...fresh };
    return this.credentials;
  }
}
