import { randomBytes } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { hubspotError, SandboxAnswer } from './sandbox-errors';
import { callbackWith, ConsentFlow, consentPage, pageHeaders, refusalPage, sendHtml, sendRedirect, usableRedirectUri } from '../kit/oauth-consent';

export interface SandboxOAuthClient {
  clientId: string;
  clientSecret: string;
  /** A refresh token that works from the start (tests that skip the consent page). */
  refreshToken: string;
}

const VENDOR = 'HubSpot sandbox';

/**
 * Our own choice: HubSpot does not state how long an authorization code works; the sandbox takes
 * it for 10 minutes, once.
 */
const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;

/** What a HubSpot OAuth scope lets an app do (connectors/hubspot/README.md "OAuth"). */
function scopeMeaning(scope: string): string {
  if (scope === 'oauth') return 'use OAuth (every app has it)';
  const [, kind, object, access] = /^crm\.(objects|schemas)\.([a-z_]+)\.(read|write)$/.exec(scope) ?? [];
  if (!kind) return 'as HubSpot names it';
  const verb = access === 'read' ? 'view' : 'edit';
  return kind === 'objects' ? `${verb} ${object} records` : `${verb} ${object} property settings`;
}

/**
 * Who may call the sandbox: one private-app token (never expires) and one OAuth app. The app's
 * consent page (GET /oauth/authorize, as at app.hubspot.com) gives codes; POST /oauth/v1/token
 * trades a code (grant authorization_code, with the same redirect_uri) or a refresh token for
 * short-lived access tokens (expires_in), HubSpot's refusals worded as HubSpot words them.
 */
export class SandboxAuth {
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  readonly consent = new ConsentFlow({ codeTtlMs: AUTHORIZATION_CODE_TTL_MS });
  /** Access tokens granted so far, by grant type (tests check that concurrent callers shared one refresh). */
  readonly granted = { authorization_code: 0, refresh_token: 0 };

  constructor(
    readonly privateAppToken: string,
    readonly oauth: SandboxOAuthClient,
    private readonly accessTokenTtlSeconds: number,
  ) {
    this.refreshTokens.add(oauth.refreshToken);
  }

  /** The caller's token, or the 401 HubSpot would send. */
  verify(authorization: string | undefined, now = Date.now()): { token: string } | SandboxAnswer {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (token && token === this.privateAppToken) return { token };
    const expiresAt = token ? this.accessTokens.get(token) : undefined;
    if (token && expiresAt !== undefined && expiresAt > now) return { token };
    if (token && expiresAt !== undefined) {
      const minutes = Math.max(1, Math.round((now - expiresAt) / 60_000));
      return hubspotError(401, `The OAuth token used to make this call expired ${minutes} minute(s) ago.`, 'EXPIRED_AUTHENTICATION');
    }
    return hubspotError(
      401,
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      'INVALID_AUTHENTICATION',
    );
  }

  /** GET /oauth/authorize: the consent page, or HubSpot's error page for an unknown app or callback. */
  authorize(query: URLSearchParams, res: ServerResponse): void {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    if (clientId !== this.oauth.clientId) return sendHtml(res, 400, refusalPage(VENDOR, 'BAD_CLIENT_ID', "Couldn't find an app with this client ID"), pageHeaders());
    if (!usableRedirectUri(redirectUri)) {
      return sendHtml(res, 400, refusalPage(VENDOR, 'BAD_REDIRECT_URI', "Authorization failed as the redirect URL doesn't match the app's registered redirect URL"), pageHeaders());
    }
    const scope = (query.get('scope') ?? '').trim();
    const requestId = this.consent.open({ clientId, redirectUri, state: query.get('state'), scope, codeChallenge: null });
    const html = consentPage({
      vendor: VENDOR,
      clientId,
      resource: 'the sandbox portal',
      user: 'admin@nps-bridge-sandbox.example.com',
      scopes: scope
        .split(/\s+/)
        .filter(Boolean)
        .map((name) => ({ name, meaning: scopeMeaning(name) })),
      action: 'authorize',
      requestId,
      redirectUri,
    });
    sendHtml(res, 200, html, pageHeaders(redirectUri));
  }

  /** POST /oauth/authorize: the person's answer, sent back to the callback with a code or error=access_denied. */
  decide(form: URLSearchParams, res: ServerResponse): void {
    const decision = form.get('decision');
    const decided = decision === 'allow' || decision === 'deny' ? this.consent.decide(form.get('request') ?? '', decision === 'allow') : undefined;
    if (!decided) return sendHtml(res, 400, refusalPage(VENDOR, 'BAD_REQUEST', 'This authorization request is unknown or has expired; start again from the app'), pageHeaders());
    const { grant, code } = decided;
    const answer: Record<string, string | null> = code
      ? { code, state: grant.state }
      : { error: 'access_denied', error_description: 'The user denied the app access to the account', state: grant.state };
    sendRedirect(res, callbackWith(grant.redirectUri, answer));
  }

  /** POST /oauth/v1/token (a form body): grant authorization_code or refresh_token. */
  token(form: URLSearchParams, now = Date.now()): SandboxAnswer {
    const refusal = (status: string, message: string): SandboxAnswer => ({
      status: 400,
      body: { status, message, correlationId: randomBytes(16).toString('hex') },
    });
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token' && grant !== 'authorization_code') return refusal('UNSUPPORTED_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
    if (form.get('client_id') !== this.oauth.clientId || form.get('client_secret') !== this.oauth.clientSecret) {
      return refusal('BAD_CLIENT_ID', 'missing or unknown client id');
    }
    let refreshToken: string;
    if (grant === 'authorization_code') {
      const code = this.consent.redeem(form.get('code') ?? '');
      if (!code || code.expired || code.clientId !== this.oauth.clientId) return refusal('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (form.get('redirect_uri') !== code.redirectUri) return refusal('BAD_REDIRECT_URI', 'redirect_uri does not match the redirect_uri the auth code was issued for');
      refreshToken = randomBytes(18).toString('hex');
      this.refreshTokens.add(refreshToken);
    } else {
      refreshToken = form.get('refresh_token') ?? '';
      if (!this.refreshTokens.has(refreshToken)) return refusal('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    }
    this.granted[grant]++;
    const accessToken = `sandbox-oauth-${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, now + this.accessTokenTtlSeconds * 1000);
    return {
      status: 200,
      body: { token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: this.accessTokenTtlSeconds },
    };
  }

  /** Every OAuth access token issued so far stops working (the private-app token does not). */
  expireAll(now = Date.now()): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, now - 1);
  }

  /** The app was uninstalled: every refresh token issued through the consent page stops working. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** Refresh tokens issued through the consent page, for the state file. */
  issuedRefreshTokens(): string[] {
    return [...this.refreshTokens].filter((token) => token !== this.oauth.refreshToken);
  }

  restoreRefreshTokens(tokens: string[]): void {
    for (const token of tokens) this.refreshTokens.add(token);
  }
}
