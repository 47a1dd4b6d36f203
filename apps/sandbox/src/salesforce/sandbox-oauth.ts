import { createHmac, createPublicKey, KeyObject, verify, X509Certificate } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';

/** The connected app and integration user the sandbox org trusts. */
export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  /** PEM public key or X.509 certificate (what an admin uploads to the connected app) for JWT bearer. */
  jwtPublicKey?: string;
  /** The integration user a JWT's sub must name. */
  username: string;
  orgId: string;
  userId: string;
}

export type TokenOutcome = { status: 200; body: Record<string, string> } | { status: 400; body: { error: string; error_description: string } };

export const refuse = (error: string, description: string): TokenOutcome => ({ status: 400, body: { error, error_description: description } });

function publicKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

/** Salesforce's JWT bearer checks, with its error words: signature, issuer, audience, expiry, subject. */
function checkAssertion(assertion: string, app: SandboxApp, audiences: string[], nowMs: number): TokenOutcome | null {
  const parts = assertion.split('.');
  if (parts.length !== 3) return refuse('invalid_grant', 'invalid assertion');
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return refuse('invalid_grant', 'invalid assertion');
  }
  if (header.alg !== 'RS256') return refuse('invalid_grant', 'invalid assertion');
  if (claims.iss !== app.clientId) return refuse('invalid_client_id', 'client identifier invalid');
  if (!app.jwtPublicKey) return refuse('invalid_client', 'invalid client credentials');
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey(app.jwtPublicKey), Buffer.from(parts[2], 'base64url'));
  if (!signed) return refuse('invalid_grant', 'invalid assertion');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => a !== undefined && audiences.includes(a.replace(/\/+$/, '')))) return refuse('invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < nowMs) return refuse('invalid_grant', 'expired authorization code');
  if (claims.sub !== app.username) return refuse('invalid_grant', "user hasn't approved this consumer");
  return null;
}

/** Salesforce's shared login hosts: they serve JWT bearer, but not the client credentials flow. */
const SHARED_LOGIN_HOSTS: readonly string[] = ['login.salesforce.com', 'test.salesforce.com'];

/**
 * Which host a token request was addressed to, so the sandbox can answer as that host would:
 * a path starting with a shared login host (`<sandbox>/login.salesforce.com/services/oauth2/token`,
 * i.e. loginUrl `<sandbox>/login.salesforce.com`) or a Host / X-Forwarded-Host header naming
 * one. Anything else is the org's own My Domain host (null).
 */
export function addressedLoginHost(path: string, hostHeader: string | undefined): { host: string | null; path: string } {
  const prefixed = /^\/([^/]+)(\/.*)$/.exec(path);
  if (prefixed && SHARED_LOGIN_HOSTS.includes(prefixed[1].toLowerCase())) return { host: prefixed[1].toLowerCase(), path: prefixed[2] };
  const hostname = (hostHeader ?? '').split(',')[0].trim().replace(/:\d+$/, '').toLowerCase();
  return { host: SHARED_LOGIN_HOSTS.includes(hostname) ? hostname : null, path };
}

/**
 * POST /services/oauth2/token for the two server-to-server flows. `baseUrl` is where this
 * sandbox is served: it is the instance_url and an accepted JWT audience. `loginHost` is the
 * shared login host the request was addressed to (addressedLoginHost), null for My Domain:
 * like Salesforce, a client credentials grant there is refused as unsupported.
 */
export function grantToken(form: URLSearchParams, app: SandboxApp, baseUrl: string, issue: () => string, nowMs = Date.now(), loginHost: string | null = null): TokenOutcome {
  const grant = form.get('grant_type');
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    const audiences = [baseUrl, 'https://login.salesforce.com', 'https://test.salesforce.com', ...(loginHost ? [`${baseUrl}/${loginHost}`] : [])];
    const refused = checkAssertion(form.get('assertion') ?? '', app, audiences, nowMs);
    if (refused) return refused;
  } else if (grant === 'client_credentials') {
    if (loginHost) return refuse('unsupported_grant_type', 'grant type not supported');
    if (form.get('client_id') !== app.clientId) return refuse('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== app.clientSecret) return refuse('invalid_client', 'invalid client credentials');
  } else {
    return refuse('unsupported_grant_type', 'grant type not supported');
  }
  return { status: 200, body: tokenBody(app, baseUrl, issue(), nowMs, 'api') };
}

/** A token answer as Salesforce words it: the access token, its signature over id + issued_at, the instance and identity URLs. */
export function tokenBody(app: SandboxApp, baseUrl: string, accessToken: string, nowMs: number, scope: string, extra: Record<string, string> = {}): Record<string, string> {
  const id = `${baseUrl}/id/${app.orgId}/${app.userId}`;
  const issuedAt = String(nowMs);
  return {
    access_token: accessToken,
    ...extra,
    signature: createHmac('sha256', app.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope,
    instance_url: baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** Where the sandbox is served, mount prefix included (Express sets req.baseUrl / originalUrl): the instance_url. */
export function servedBaseUrl(req: IncomingMessage, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const mounted = req as IncomingMessage & { baseUrl?: string; originalUrl?: string };
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0].trim();
  const proto = first(req.headers['x-forwarded-proto']) ?? (req.socket instanceof TLSSocket ? 'https' : 'http');
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  let prefix = mounted.baseUrl ?? '';
  const url = req.url ?? '';
  if (!prefix && mounted.originalUrl && mounted.originalUrl !== url && mounted.originalUrl.endsWith(url)) {
    prefix = mounted.originalUrl.slice(0, mounted.originalUrl.length - url.length);
  }
  return `${proto}://${host}${prefix.replace(/\/+$/, '')}`;
}
