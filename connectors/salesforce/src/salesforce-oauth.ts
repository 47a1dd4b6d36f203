import { IsUrl, registerDecorator } from 'class-validator';
import { OAuth2, TokenResponse } from 'jsforce/lib/oauth2';
import { OAuthApp, OAuthCodeExchange, OAuthExchangeContext, VendorError, VendorHttp } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { MeteredTransport } from './metered-transport';
import { isSharedLoginUrl, SalesforceCredentials } from './salesforce-credentials';
import { tokenFailure } from './salesforce-errors';

/** The web server flow runs against the org's own My Domain host (README "OAuth web server flow"). */
function IsMyDomain() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMyDomain',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => !isSharedLoginUrl(value),
        defaultMessage: () => `${propertyName} must be your org's My Domain URL (https://<domain>.my.salesforce.com), not login.salesforce.com or test.salesforce.com`,
      },
    });
}

/** Which org the admin connects: its My Domain URL (the sandbox's URL in tests and the demo). */
export class SalesforceOAuthAccount {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'myDomainUrl must be an http(s) URL such as https://acme.my.salesforce.com' })
  @IsMyDomain()
  myDomainUrl: string;
}

const base = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * The web server flow with PKCE (README "OAuth web server flow"): the admin approves the External
 * Client App at <My Domain>/services/oauth2/authorize; the code, the app's secret and the PKCE
 * verifier buy an access and a refresh token at /services/oauth2/token.
 */
export const salesforceOAuth: OAuthApp<SalesforceOAuthAccount> = {
  accountClass: SalesforceOAuthAccount,
  scopes: salesforceDescriptor.oauthScopes,
  pkce: salesforceDescriptor.oauthPkce,
  registration:
    'In Salesforce Setup, App Manager → New External Client App: enable OAuth, enter the callback URL, select the scopes, require PKCE; then copy its consumer key and secret.',

  authorizeUrl({ account, clientId, redirectUri, state, codeChallenge }) {
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: salesforceDescriptor.oauthScopes.join(' '), state });
    if (codeChallenge) query.set('code_challenge', codeChallenge);
    return `${base(account.myDomainUrl)}${salesforceDescriptor.authorizePath}?${query.toString()}`;
  },

  async exchangeCode(request: OAuthCodeExchange<SalesforceOAuthAccount>, context: OAuthExchangeContext = {}): Promise<Record<string, unknown>> {
    const loginUrl = base(request.account.myDomainUrl);
    const http = new VendorHttp({
      facts: salesforceDescriptor,
      readFailure: (error) => tokenFailure(error),
      sleep: context.sleep,
      log: context.log,
      requestTimeoutMs: context.requestTimeoutMs,
      countsAtTransport: true,
    });
    let status: number | undefined;
    const oauth2 = new OAuth2({ loginUrl, clientId: request.clientId, clientSecret: request.clientSecret, redirectUri: request.redirectUri });
    oauth2._transport = new MeteredTransport(http, (response) => (status = response.statusCode));
    const params: { grant_type: string; [name: string]: string } = { grant_type: 'authorization_code', code: request.code };
    if (request.codeVerifier) params.code_verifier = request.codeVerifier;
    const token: TokenResponse = await http.retrying(() => http.once(() => oauth2.requestToken(params), { signingIn: true, readFailure: (error) => tokenFailure(error, status) }));
    if (!token.refresh_token) {
      throw new VendorError('salesforce', 'auth', 'Salesforce issued no refresh token: give the app the refresh_token (offline access) scope and connect again', {
        code: 'NO_REFRESH_TOKEN',
      });
    }
    const credentials: SalesforceCredentials = {
      authType: 'oauth',
      loginUrl,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      refreshToken: token.refresh_token,
      accessToken: token.access_token,
      instanceUrl: token.instance_url,
      identityUrl: token.id,
    };
    return { ...credentials };
  },
};
