import { createHmac, createPublicKey, KeyObject, verify, X509Certificate } from 'node:crypto';

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

export type TokenOutcome =
  | { status: 200; body: Record<string, string> }
  | { status: 400; body: { error: string; error_description: string } };

const refuse = (error: string, description: string): TokenOutcome => ({ status: 400, body: { error, error_description: description } });

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

/**
 * POST /services/oauth2/token for the two server-to-server flows. `baseUrl` is where this
 * sandbox is served: it is the instance_url and an accepted JWT audience.
 */
export function grantToken(form: URLSearchParams, app: SandboxApp, baseUrl: string, issue: () => string, nowMs = Date.now()): TokenOutcome {
  const grant = form.get('grant_type');
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    const audiences = [baseUrl, 'https://login.salesforce.com', 'https://test.salesforce.com'];
    const refused = checkAssertion(form.get('assertion') ?? '', app, audiences, nowMs);
    if (refused) return refused;
  } else if (grant === 'client_credentials') {
    if (form.get('client_id') !== app.clientId) return refuse('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== app.clientSecret) return refuse('invalid_client', 'invalid client credentials');
  } else {
    return refuse('unsupported_grant_type', 'grant type not supported');
  }
  const id = `${baseUrl}/id/${app.orgId}/${app.userId}`;
  const issuedAt = String(nowMs);
  return {
    status: 200,
    body: {
      access_token: issue(),
      signature: createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64'),
      scope: 'api',
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    },
  };
}
