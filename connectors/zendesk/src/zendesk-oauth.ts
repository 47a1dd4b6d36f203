import { IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { OAuthApp, OAuthCodeExchange, OAuthExchangeContext, VendorFailure, VendorHttp } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { ZendeskCredentials } from './zendesk-credentials';
import { answerFailure, networkFailure } from './zendesk-errors';

/** Which Zendesk account the admin connects: its subdomain (and another host in tests and the demo). */
export class ZendeskOAuthAccount {
  /** "acme" for acme.zendesk.com. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/i, { message: 'subdomain must be the account subdomain, e.g. acme for acme.zendesk.com' })
  subdomain: string;

  /** Another host serving the authorization page, the token endpoint and the API: the sandbox. Unset means https://{subdomain}.zendesk.com. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
}

/** The account's host: the sandbox's, or https://{subdomain}.zendesk.com. */
export function accountBaseUrl(account: { subdomain: string; baseUrl?: string }): string {
  return (account.baseUrl ?? zendeskDescriptor.baseUrlTemplate.replace('{subdomain}', account.subdomain)).trim().replace(/\/+$/, '');
}

/** What POST /oauth/tokens answers (README "OAuth"). */
export interface ZendeskTokenAnswer {
  access_token: string;
  token_type?: string;
  scope?: string;
  refresh_token?: string;
  /** Seconds the access token lives; absent for a token that does not expire. */
  expires_in?: number | null;
  refresh_token_expires_in?: number | null;
}

/**
 * One POST /oauth/tokens with a JSON body: the answer, or what refused it (Zendesk's
 * `{ error, error_description }`, read by answerFailure) for the caller's door to turn into a
 * VendorError. `count` meters the request on the caller's call meter.
 */
export async function postTokens(baseUrl: string, body: Record<string, unknown>, count?: () => void): Promise<ZendeskTokenAnswer | { failure: VendorFailure }> {
  count?.();
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${zendeskDescriptor.tokenPath}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return { failure: networkFailure(error) };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  const text = await response.text().catch(() => '');
  if (!response.ok) return { failure: answerFailure(response.status, headers, text) };
  try {
    const answer = JSON.parse(text) as ZendeskTokenAnswer;
    if (typeof answer.access_token === 'string' && answer.access_token !== '') return answer;
  } catch {
    // read below as a refusal
  }
  return { failure: { status: response.status, code: 'INVALID_TOKEN_ANSWER', message: 'Zendesk answered the token request without an access token' } };
}

/** The tokens of an answer over the credentials they renew. */
export function withTokens(credentials: ZendeskCredentials, answer: ZendeskTokenAnswer, now = Date.now()): ZendeskCredentials {
  const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : undefined;
  const renewed: ZendeskCredentials = { ...credentials, accessToken: answer.access_token, refreshToken: answer.refresh_token || credentials.refreshToken };
  if (expiresIn !== undefined) renewed.expiresAt = new Date(now + expiresIn * 1000).toISOString();
  else delete renewed.expiresAt;
  return renewed;
}

/**
 * A Zendesk OAuth client (README "OAuth"): the admin approves it at
 * https://{subdomain}.zendesk.com/oauth/authorizations/new; the code, the client's id and secret
 * and the same redirect URL buy an access token and a refresh token at /oauth/tokens.
 */
export const zendeskOAuth: OAuthApp<ZendeskOAuthAccount> = {
  accountClass: ZendeskOAuthAccount,
  scopes: zendeskDescriptor.oauthScopes,
  pkce: false,
  registration:
    'In Zendesk Admin Center, Apps and integrations → APIs → OAuth clients → Add OAuth client: a confidential client with the redirect URL; copy its identifier and secret.',

  authorizeUrl({ account, clientId, redirectUri, state }) {
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: zendeskDescriptor.oauthScopes.join(' '), state });
    return `${accountBaseUrl(account)}${zendeskDescriptor.authorizePath}?${query.toString()}`;
  },

  async exchangeCode(request: OAuthCodeExchange<ZendeskOAuthAccount>, context: OAuthExchangeContext = {}): Promise<Record<string, unknown>> {
    const http = new VendorHttp({ facts: zendeskDescriptor, readFailure: () => undefined, sleep: context.sleep, log: context.log, requestTimeoutMs: context.requestTimeoutMs });
    const baseUrl = accountBaseUrl(request.account);
    const answer = await http.call(
      async () => {
        const said = await postTokens(baseUrl, {
          grant_type: 'authorization_code',
          code: request.code,
          client_id: request.clientId,
          client_secret: request.clientSecret,
          redirect_uri: request.redirectUri,
          scope: zendeskDescriptor.oauthScopes.join(' '),
          expires_in: zendeskDescriptor.oauthAccessTokenSeconds,
        });
        if ('failure' in said) throw http.vendorError(said.failure, true);
        return said;
      },
      { signingIn: true },
    );
    const credentials: ZendeskCredentials = {
      authType: 'oauth',
      subdomain: request.account.subdomain,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      ...(request.account.baseUrl ? { baseUrl: accountBaseUrl(request.account) } : {}),
    };
    return { ...withTokens(credentials, answer) };
  },
};
