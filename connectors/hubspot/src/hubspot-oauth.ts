import { Client } from '@hubspot/api-client';
import { IsOptional, IsUrl } from 'class-validator';
import { OAuthApp, OAuthCodeExchange, OAuthExchangeContext, VendorHttp } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotCredentials } from './hubspot-credentials';
import { hubspotFailure } from './hubspot-errors';

/** HubSpot's OAuth needs no account name: the admin picks the account on HubSpot's page. */
export class HubSpotOAuthAccount {
  /** Another host serving both the authorization page and the API: the sandbox in tests and the demo. Unset means HubSpot. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
}

const base = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * A HubSpot OAuth app (README "OAuth"): the admin approves it at app.hubspot.com/oauth/authorize
 * with the scopes below; the code, the app's id and secret buy an access token (expires_in) and a
 * refresh token at /oauth/v1/token, through the SDK behind core's door.
 */
export const hubspotOAuth: OAuthApp<HubSpotOAuthAccount> = {
  accountClass: HubSpotOAuthAccount,
  scopes: hubspotDescriptor.oauthScopes,
  pkce: false,
  registration: "In your HubSpot developer account, create an app (Auth tab): add the redirect URL and the scopes, then copy the app's client ID and client secret.",

  authorizeUrl({ account, clientId, redirectUri, state }) {
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, scope: hubspotDescriptor.oauthScopes.join(' '), state });
    const page = account.baseUrl ? `${base(account.baseUrl)}${hubspotDescriptor.authorizePath}` : hubspotDescriptor.authorizeUrl;
    return `${page}?${query.toString()}`;
  },

  async exchangeCode(request: OAuthCodeExchange<HubSpotOAuthAccount>, context: OAuthExchangeContext = {}): Promise<Record<string, unknown>> {
    const http = new VendorHttp({ facts: hubspotDescriptor, readFailure: hubspotFailure, sleep: context.sleep, log: context.log, requestTimeoutMs: context.requestTimeoutMs });
    const baseUrl = request.account.baseUrl ? base(request.account.baseUrl) : undefined;
    const client = new Client({ basePath: baseUrl ?? hubspotDescriptor.baseUrl, numberOfApiCallRetries: 0 });
    const { data: token } = await http.call(
      () => client.oauth.tokensApi.createWithHttpInfo('authorization_code', request.code, request.redirectUri, request.clientId, request.clientSecret),
      { signingIn: true },
    );
    const credentials: HubSpotCredentials = {
      authType: 'oauth',
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      refreshToken: token.refreshToken,
      accessToken: token.accessToken,
      expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(),
      ...(baseUrl ? { baseUrl } : {}),
    };
    return { ...credentials };
  },
};
