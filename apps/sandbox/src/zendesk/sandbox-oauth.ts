import { randomBytes } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Answer } from './sandbox-answers';
import { callbackWith, ConsentFlow, consentPage, pageHeaders, refusalPage, sendHtml, sendRedirect, usableRedirectUri } from '../kit/oauth-consent';

const VENDOR = 'Zendesk sandbox';

/**
 * Zendesk's numbers for OAuth (connectors/zendesk/README.md "OAuth"): a code works for 120
 * seconds; an access token lives 30 minutes by default (expires_in: more than 300 s, less than
 * 172,800 s), a refresh token 30 days (refresh_token_expires_in: 7 to 90 days).
 */
const CODE_TTL_MS = 120_000;
const ACCESS_TOKEN_DEFAULT_S = 1800;
const ACCESS_TOKEN_RANGE_S = [300, 172_800] as const;
const REFRESH_TOKEN_DEFAULT_S = 2_592_000;
const REFRESH_TOKEN_RANGE_S = [604_800, 7_776_000] as const;

/** The OAuth 2.0 error sentences Zendesk's token endpoint answers with (RFC 6749 §5.2 codes). */
const SAID = {
  invalid_client: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired authorization token, bad end-user password credentials, or mismatching authorization code and redirection URI).',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  access_denied: 'The resource owner or authorization server denied the request.',
} as const;

const refuse = (error: keyof typeof SAID, status = 400): Answer => ({ status, body: { error, error_description: SAID[error] } });

/** What the scopes let the client do, for the consent page. */
const SCOPES: Readonly<Record<string, string>> = { read: 'read every resource you can see', write: 'change every resource you can change', impersonate: 'act as other users' };

export interface SandboxOAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

/** Stored refresh tokens: [token, expires at (ms), the access token it was issued with]. */
export type RefreshTokenEntry = [token: string, expiresAt: number, accessToken: string];

/**
 * A Zendesk OAuth client (confidential): the consent page at /oauth/authorizations/new, and
 * POST /oauth/tokens (JSON) for the authorization_code and refresh_token grants. A refresh
 * returns a new access token and a new refresh token and ends the previous pair.
 */
export class ZendeskOAuthServer {
  readonly consent: ConsentFlow;
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, { expiresAt: number; accessToken: string }>();

  constructor(
    private readonly client: SandboxOAuthClientConfig,
    private readonly now: () => number,
    private readonly admin: () => string,
  ) {
    this.consent = new ConsentFlow({ codeTtlMs: CODE_TTL_MS, now });
  }

  /** GET: the consent page; an unknown client or a callback that is not a URL gets Zendesk's error page. */
  authorize(query: URLSearchParams, res: ServerResponse): void {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    if (clientId !== this.client.clientId) return sendHtml(res, 400, refusalPage(VENDOR, 'invalid_client', SAID.invalid_client), pageHeaders());
    if (!usableRedirectUri(redirectUri)) return sendHtml(res, 400, refusalPage(VENDOR, 'invalid_redirect_uri', 'The redirect uri included is not valid.'), pageHeaders());
    const state = query.get('state');
    if (query.get('response_type') !== 'code') {
      return sendRedirect(
        res,
        callbackWith(redirectUri, { error: 'unsupported_response_type', error_description: 'The authorization server does not support this response type.', state }),
      );
    }
    const scope = (query.get('scope') ?? 'read').trim();
    const requestId = this.consent.open({ clientId, redirectUri, state, scope, codeChallenge: query.get('code_challenge') || null });
    const html = consentPage({
      vendor: VENDOR,
      clientId,
      resource: 'the sandbox Zendesk account',
      user: this.admin(),
      scopes: scope
        .split(/\s+/)
        .filter(Boolean)
        .map((name) => ({ name, meaning: SCOPES[name] ?? 'as Zendesk names it' })),
      action: 'new',
      requestId,
      redirectUri,
    });
    sendHtml(res, 200, html, pageHeaders(redirectUri));
  }

  /** POST: the person's answer, sent back to the callback with a code or error=access_denied. */
  decide(form: URLSearchParams, res: ServerResponse): void {
    const decision = form.get('decision');
    const decided = decision === 'allow' || decision === 'deny' ? this.consent.decide(form.get('request') ?? '', decision === 'allow') : undefined;
    if (!decided)
      return sendHtml(res, 400, refusalPage(VENDOR, 'invalid_request', 'This authorization request is unknown or has expired; start again from the app.'), pageHeaders());
    const { grant, code } = decided;
    const answer: Record<string, string | null> = code ? { code, state: grant.state } : { error: 'access_denied', error_description: SAID.access_denied, state: grant.state };
    sendRedirect(res, callbackWith(grant.redirectUri, answer));
  }

  /** POST /oauth/tokens with a JSON body (a form body is read too). */
  token(body: Record<string, unknown>): Answer {
    const param = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : typeof body[name] === 'number' ? String(body[name]) : undefined);
    const grant = param('grant_type');
    if (grant !== 'authorization_code' && grant !== 'refresh_token') return refuse('unsupported_grant_type');
    if (param('client_id') !== this.client.clientId || param('client_secret') !== this.client.clientSecret) return refuse('invalid_client', 401);
    const accessSeconds = seconds(param('expires_in'), ACCESS_TOKEN_DEFAULT_S, ACCESS_TOKEN_RANGE_S);
    const refreshSeconds = seconds(param('refresh_token_expires_in'), REFRESH_TOKEN_DEFAULT_S, REFRESH_TOKEN_RANGE_S);
    if (accessSeconds === undefined || refreshSeconds === undefined || accessSeconds >= refreshSeconds) return refuse('invalid_request');
    let scope: string;
    if (grant === 'authorization_code') {
      const code = this.consent.redeem(param('code') ?? '');
      if (!code || code.expired || code.clientId !== this.client.clientId || param('redirect_uri') !== code.redirectUri) return refuse('invalid_grant');
      scope = param('scope') ?? code.scope;
    } else {
      const token = param('refresh_token') ?? '';
      const found = this.refreshTokens.get(token);
      if (!found || found.expiresAt <= this.now()) return refuse('invalid_grant');
      // The used pair ends: its refresh token and the access token issued with it.
      this.refreshTokens.delete(token);
      this.accessTokens.delete(found.accessToken);
      scope = param('scope') ?? 'read write';
    }
    const accessToken = randomBytes(32).toString('hex');
    const refreshToken = randomBytes(32).toString('hex');
    this.accessTokens.set(accessToken, this.now() + accessSeconds * 1000);
    this.refreshTokens.set(refreshToken, { expiresAt: this.now() + refreshSeconds * 1000, accessToken });
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'bearer', scope, refresh_token: refreshToken, expires_in: accessSeconds, refresh_token_expires_in: refreshSeconds },
    };
  }

  /** Whether a bearer token is one this server issued and it has not expired. */
  accepts(token: string): boolean {
    const expiresAt = this.accessTokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Every access token issued so far stops working; refresh tokens still work. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  /** Every refresh token stops working (the client's access revoked). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  refreshTokenEntries(): RefreshTokenEntry[] {
    return [...this.refreshTokens].map(([token, { expiresAt, accessToken }]) => [token, expiresAt, accessToken]);
  }

  restoreRefreshTokens(entries: RefreshTokenEntry[]): void {
    for (const [token, expiresAt, accessToken] of entries) this.refreshTokens.set(token, { expiresAt, accessToken });
  }
}

/** A lifetime in seconds within Zendesk's range; the default when absent; undefined when outside. */
function seconds(given: string | undefined, fallback: number, [min, max]: readonly [number, number]): number | undefined {
  if (given === undefined) return fallback;
  const value = Number(given);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}
