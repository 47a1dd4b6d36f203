import { randomBytes } from 'node:crypto';
import { hubspotError, SandboxAnswer } from './sandbox-errors';

export interface SandboxOAuthClient {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * Who may call the sandbox: one private-app token (never expires) and one OAuth client whose
 * refresh token buys short-lived access tokens, as POST /oauth/v1/token does.
 */
export class SandboxAuth {
  private readonly accessTokens = new Map<string, number>();

  constructor(
    readonly privateAppToken: string,
    readonly oauth: SandboxOAuthClient,
    private readonly accessTokenTtlSeconds: number,
  ) {}

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

  /** POST /oauth/v1/token with grant_type=refresh_token (a form body). */
  token(form: URLSearchParams, now = Date.now()): SandboxAnswer {
    const refusal = (status: string, message: string): SandboxAnswer => ({
      status: 400,
      body: { status, message, correlationId: randomBytes(16).toString('hex') },
    });
    if (form.get('grant_type') !== 'refresh_token') return refusal('UNSUPPORTED_GRANT_TYPE', 'grant_type must be refresh_token in this sandbox');
    if (form.get('client_id') !== this.oauth.clientId || form.get('client_secret') !== this.oauth.clientSecret) {
      return refusal('BAD_CLIENT_ID', 'missing or unknown client id');
    }
    if (form.get('refresh_token') !== this.oauth.refreshToken) return refusal('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    const accessToken = `sandbox-oauth-${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, now + this.accessTokenTtlSeconds * 1000);
    return {
      status: 200,
      body: { token_type: 'bearer', refresh_token: this.oauth.refreshToken, access_token: accessToken, expires_in: this.accessTokenTtlSeconds },
    };
  }

  /** Every OAuth access token issued so far stops working (the private-app token does not). */
  expireAll(now = Date.now()): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, now - 1);
  }
}
