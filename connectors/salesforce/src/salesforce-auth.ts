import { createPrivateKey, sign } from 'node:crypto';
import { salesforceDescriptor } from '../descriptor';
import { SalesforceCredentials } from './salesforce-credentials';

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * The JWT audience: Salesforce wants its authorization server (login. or test.salesforce.com),
 * not a My Domain host, even when the token request goes to My Domain. Other URLs (Experience
 * Cloud sites, our sandbox) are their own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  if (url.hostname.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (url.hostname.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl.replace(/\/+$/, '');
}

/**
 * The JWT bearer assertion Salesforce expects (README "JWT bearer"): RS256 over
 * header.claims with iss = consumer key, sub = username, aud = the login host (jwtAudience), exp ≤ 3 minutes.
 * Signed with node:crypto because jsforce leaves signing to the caller.
 */
export function signJwtAssertion(claims: { clientId: string; username: string; loginUrl: string }, privateKeyPem: string, nowMs = Date.now()): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: jwtAudience(claims.loginUrl),
      exp: Math.floor(nowMs / 1000) + salesforceDescriptor.jwtLifetimeSeconds,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPrivateKey(privateKeyPem));
  return `${header}.${payload}.${base64url(signature)}`;
}

export type TokenRequestParams = { grant_type: string; [name: string]: string };

/**
 * The token request body for the credentials' flow (OAuth: the refresh_token grant, README
 * "OAuth web server flow"). jsforce's requestToken adds client_id (and client_secret when the
 * OAuth2 client has one) itself.
 */
export function tokenRequest(credentials: SalesforceCredentials, loginUrl: string, nowMs = Date.now()): TokenRequestParams {
  if (credentials.authType === 'oauth') return { grant_type: 'refresh_token', refresh_token: credentials.refreshToken ?? '' };
  if (credentials.authType === 'jwt') {
    const assertion = signJwtAssertion({ clientId: credentials.clientId, username: credentials.username ?? '', loginUrl }, credentials.privateKey ?? '', nowMs);
    return { grant_type: salesforceDescriptor.jwtGrantType, assertion };
  }
  return { grant_type: 'client_credentials' };
}
