import { createHash, randomBytes } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { escapeHtml, page } from './page';

/**
 * The authorization code grant (RFC 6749 §4.1) as the vendor sandboxes play it: an authorize
 * request becomes a consent page; Allow issues a single-use code bound to the client, the
 * redirect URI, the scope and the PKCE challenge; Deny sends the browser back with
 * error=access_denied. Each vendor's sandbox checks its own parameters, words its own errors and
 * serves its own token endpoint around this.
 */

/** What an approved request grants, carried from the authorize request to the token request. */
export interface ConsentGrant {
  clientId: string;
  redirectUri: string;
  state: string | null;
  scope: string;
  /** RFC 7636: the S256 challenge the token request's code_verifier must match. */
  codeChallenge: string | null;
}

/** A code as the token endpoint finds it: what it grants and whether it is past its lifetime. */
export type RedeemedCode = ConsentGrant & { expired: boolean };

const RANDOM = () => randomBytes(24).toString('base64url');

const grantOf = (g: ConsentGrant): ConsentGrant => ({ clientId: g.clientId, redirectUri: g.redirectUri, state: g.state, scope: g.scope, codeChallenge: g.codeChallenge });

/** RFC 7636 §4.6: base64url(SHA-256(code_verifier)) must equal the S256 code_challenge. */
export function verifierMatches(codeVerifier: string, codeChallenge: string): boolean {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url') === codeChallenge;
}

/** Open consent requests (the page shown, not yet answered) and issued codes, each used once. */
export class ConsentFlow {
  private readonly requests = new Map<string, ConsentGrant & { expiresAt: number }>();
  private readonly codes = new Map<string, ConsentGrant & { expiresAt: number }>();

  constructor(private readonly options: { codeTtlMs: number; requestTtlMs?: number; now?: () => number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** A request the consent page answers; its id goes in the form. */
  open(grant: ConsentGrant): string {
    const id = RANDOM();
    this.requests.set(id, { ...grant, expiresAt: this.now() + (this.options.requestTtlMs ?? 30 * 60_000) });
    return id;
  }

  /** The person's answer: the request (gone from now on) and, when allowed, a new code. Undefined for an unknown or stale request. */
  decide(requestId: string, allow: boolean): { grant: ConsentGrant; code?: string } | undefined {
    const request = this.requests.get(requestId);
    this.requests.delete(requestId);
    if (!request || request.expiresAt <= this.now()) return undefined;
    const grant = grantOf(request);
    if (!allow) return { grant };
    const code = RANDOM();
    this.codes.set(code, { ...grant, expiresAt: this.now() + this.options.codeTtlMs });
    return { grant, code };
  }

  /** The code's grant, once: a second redemption finds nothing. */
  redeem(code: string): RedeemedCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    if (!found) return undefined;
    return { ...grantOf(found), expired: found.expiresAt <= this.now() };
  }
}

/** The callback URL with the answer's parameters added (RFC 6749 §4.1.2), its own query kept. */
export function callbackWith(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return url.toString();
}

/** Whether a redirect URI can be one: an absolute http(s) URL without a fragment (RFC 6749 §3.1.2). */
export function usableRedirectUri(value: string | null): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
  } catch {
    return false;
  }
}

export interface ConsentPageInput {
  /** "Salesforce sandbox", for the heading and title. */
  vendor: string;
  clientId: string;
  /** What the app gets access to ("the org", "your portal"). */
  resource: string;
  /** Who approves (the sandbox's signed-in user). */
  user: string;
  scopes: Array<{ name: string; meaning: string }>;
  /** Where the form posts, relative to the authorize URL (so any mount prefix works). */
  action: string;
  requestId: string;
  redirectUri: string;
}

/**
 * The consent page: what is asked, by whom, for whom, and two buttons in one form. Plain HTML,
 * no script (it works without JavaScript and under a CSP without script-src), labelled for
 * screen readers, readable at 390 px.
 */
export function consentPage(input: ConsentPageInput): string {
  const scopes = input.scopes.map((s) => `<li><code>${escapeHtml(s.name)}</code>: ${escapeHtml(s.meaning)}</li>`).join('');
  return page({
    title: `Allow access? – ${input.vendor}`,
    body: `<h1>Allow access to ${escapeHtml(input.resource)}?</h1>
<p>The app <strong>${escapeHtml(input.clientId)}</strong> asks to act as <strong>${escapeHtml(input.user)}</strong> in ${escapeHtml(input.vendor)}.</p>
<h2 id="scopes-heading">It will be able to</h2>
<ul aria-labelledby="scopes-heading">${scopes}</ul>
<p class="muted">You will be sent back to <code>${escapeHtml(new URL(input.redirectUri).origin)}</code>.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<p><button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny" style="background:#4a4a4a">Deny</button></p>
</form>`,
  });
}

/** A refusal the vendor shows instead of redirecting (an unknown client, a redirect URI it does not trust). */
export function refusalPage(vendor: string, error: string, description: string): string {
  return page({
    title: `Authorization error – ${vendor}`,
    body: `<h1>Authorization error</h1>
<p role="alert"><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>
<p class="muted">${escapeHtml(vendor)} did not send you back to the app.</p>`,
  });
}

/**
 * The headers of every page of the flow: no script at all, inline styles only (the page carries
 * its stylesheet), the form may post here and its answer may redirect to the app's callback
 * (form-action is checked on redirects too), never framed, never cached.
 */
export function pageHeaders(redirectUri?: string): Record<string, string> {
  const callback = redirectUri && usableRedirectUri(redirectUri) ? ` ${new URL(redirectUri).origin}` : '';
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${callback}; frame-ancestors 'none'; base-uri 'none'`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

/** 302 to the app's callback, as vendors answer the consent form. */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}
