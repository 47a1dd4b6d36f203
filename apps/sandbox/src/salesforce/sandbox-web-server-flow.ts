import { randomBytes } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { AUTHORIZATION_CODE_TTL_MS, OAUTH_SCOPES } from './salesforce-facts';
import { refuse, SandboxApp, TokenOutcome, tokenBody } from './sandbox-oauth';
import { callbackWith, ConsentFlow, consentPage, pageHeaders, refusalPage, sendHtml, sendRedirect, usableRedirectUri, verifierMatches } from '../kit/oauth-consent';

const VENDOR = 'Salesforce sandbox';

/**
 * The OAuth 2.0 web server flow as Salesforce runs it (connectors/salesforce/README.md "OAuth web
 * server flow"): GET /services/oauth2/authorize shows the consent page (Salesforce shows its
 * error page instead of redirecting for an unknown client or an unregistered callback), the
 * answer redirects to the callback with a code (15 minutes, once) or
 * error=access_denied&error_description=end-user denied authorization; the token endpoint trades
 * the code (client, secret, the same redirect_uri, and the PKCE verifier when a challenge was
 * sent) for an access and a refresh token, and a refresh token for a new access token.
 */
export class WebServerFlow {
  readonly consent: ConsentFlow;
  /** Tokens granted so far, by grant type (tests check that concurrent callers shared one refresh). */
  readonly granted = { authorization_code: 0, refresh_token: 0 };
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly app: SandboxApp,
    private readonly options: {
      /** Callback URLs registered on the app; empty or unset: any http(s) URL is taken (a sandbox app for any host). */
      callbackUrls?: string[];
      /** Refresh token rotation (an External Client App setting): each refresh answers a new refresh token and ends the old one. */
      rotateRefreshTokens?: boolean;
      now?: () => number;
    } = {},
  ) {
    this.consent = new ConsentFlow({ codeTtlMs: AUTHORIZATION_CODE_TTL_MS, now: options.now });
  }

  /** GET: the consent page, or Salesforce's refusal. */
  authorize(query: URLSearchParams, res: ServerResponse): void {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    if (clientId !== this.app.clientId) return sendHtml(res, 400, refusalPage(VENDOR, 'invalid_client_id', 'client identifier invalid'), pageHeaders());
    if (!usableRedirectUri(redirectUri) || !this.registered(redirectUri)) {
      return sendHtml(res, 400, refusalPage(VENDOR, 'redirect_uri_mismatch', 'redirect_uri must match configuration'), pageHeaders());
    }
    const state = query.get('state');
    if (query.get('response_type') !== 'code') {
      return sendRedirect(res, callbackWith(redirectUri, { error: 'unsupported_response_type', error_description: 'response type not supported', state }));
    }
    const scope = (query.get('scope') ?? 'api refresh_token').trim();
    const unknown = scope.split(/\s+/).filter((s) => !(s in OAUTH_SCOPES));
    if (unknown.length > 0) return sendRedirect(res, callbackWith(redirectUri, { error: 'invalid_scope', error_description: 'the requested scope is not allowed', state }));
    const requestId = this.consent.open({ clientId, redirectUri, state, scope, codeChallenge: query.get('code_challenge') || null });
    const html = consentPage({
      vendor: VENDOR,
      clientId,
      resource: 'the Salesforce sandbox org',
      user: this.app.username,
      scopes: scope.split(/\s+/).map((name) => ({ name, meaning: OAUTH_SCOPES[name] })),
      action: 'authorize',
      requestId,
      redirectUri,
    });
    sendHtml(res, 200, html, pageHeaders(redirectUri));
  }

  /** POST: the person's answer, sent back to the callback. */
  decide(form: URLSearchParams, res: ServerResponse): void {
    const decision = form.get('decision');
    const decided = decision === 'allow' || decision === 'deny' ? this.consent.decide(form.get('request') ?? '', decision === 'allow') : undefined;
    if (!decided) return sendHtml(res, 400, refusalPage(VENDOR, 'invalid_request', 'this approval request is unknown or has expired; start again from the app'), pageHeaders());
    const { grant, code } = decided;
    const answer: Record<string, string | null> = code
      ? { code, state: grant.state }
      : { error: 'access_denied', error_description: 'end-user denied authorization', state: grant.state };
    sendRedirect(res, callbackWith(grant.redirectUri, answer));
  }

  /** grant_type=authorization_code. */
  exchange(form: URLSearchParams, baseUrl: string, issue: () => string, nowMs: number): TokenOutcome {
    const client = this.client(form);
    if (client) return client;
    const grant = this.consent.redeem(form.get('code') ?? '');
    if (!grant || grant.clientId !== this.app.clientId) return refuse('invalid_grant', 'invalid authorization code');
    if (grant.expired) return refuse('invalid_grant', 'expired authorization code');
    if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri_mismatch', 'redirect_uri must match configuration');
    if (grant.codeChallenge !== null) {
      const verifier = form.get('code_verifier');
      if (!verifier) return refuse('invalid_grant', 'code verifier is missing');
      if (!verifierMatches(verifier, grant.codeChallenge)) return refuse('invalid_request', 'invalid code verifier');
    }
    const refreshToken = this.newRefreshToken();
    this.granted.authorization_code++;
    return { status: 200, body: tokenBody(this.app, baseUrl, issue(), nowMs, grant.scope, { refresh_token: refreshToken }) };
  }

  /** grant_type=refresh_token: a new access token (and, rotating, a new refresh token). */
  refresh(form: URLSearchParams, baseUrl: string, issue: () => string, nowMs: number): TokenOutcome {
    const client = this.client(form);
    if (client) return client;
    const token = form.get('refresh_token') ?? '';
    if (!this.refreshTokens.has(token)) return refuse('invalid_grant', 'expired access/refresh token');
    this.granted.refresh_token++;
    if (!this.options.rotateRefreshTokens) return { status: 200, body: tokenBody(this.app, baseUrl, issue(), nowMs, 'api refresh_token') };
    this.refreshTokens.delete(token);
    return { status: 200, body: tokenBody(this.app, baseUrl, issue(), nowMs, 'api refresh_token', { refresh_token: this.newRefreshToken() }) };
  }

  /** Every refresh token stops working (an admin revoked the app's access). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** The refresh tokens that work, for the state file; restored at start so a connection survives a restart. */
  issuedRefreshTokens(): string[] {
    return [...this.refreshTokens];
  }

  restoreRefreshTokens(tokens: string[]): void {
    for (const token of tokens) this.refreshTokens.add(token);
  }

  private registered(redirectUri: string): boolean {
    const urls = this.options.callbackUrls ?? [];
    return urls.length === 0 || urls.includes(redirectUri);
  }

  private client(form: URLSearchParams): TokenOutcome | undefined {
    if (form.get('client_id') !== this.app.clientId) return refuse('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== this.app.clientSecret) return refuse('invalid_client', 'invalid client credentials');
    return undefined;
  }

  private newRefreshToken(): string {
    const token = `5Aep${randomBytes(32).toString('base64url')}`;
    this.refreshTokens.add(token);
    return token;
  }
}
