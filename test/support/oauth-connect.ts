import request from 'supertest';
import { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { APP_CONFIG, AppConfig, CredentialCipher } from '@libs/config/src';

/**
 * The "bring your own OAuth app" flow driven as a browser would, without one: start it through
 * the admin API, load the vendor sandbox's consent page, post its form, and follow the redirects
 * back through the callback (fetch with redirect: 'manual', so every hop can be checked).
 */

export interface StartedFlow {
  id: string;
  kind: string;
  authorizeUrl: string;
  callbackUrl: string;
  expiresAt: string;
}

export async function startFlow(baseUrl: string, auth: Record<string, string>, body: Record<string, unknown>): Promise<StartedFlow> {
  const started = await request(baseUrl).post('/api/oauth/authorizations').set(auth).send(body);
  if (started.status !== 201) throw new Error(`starting the OAuth flow answered ${started.status}: ${JSON.stringify(started.body)}`);
  return started.body as StartedFlow;
}

export interface ConsentPage {
  status: number;
  html: string;
  headers: Headers;
  /** The form's hidden request id and where it posts (absolute). */
  requestId: string;
  action: string;
}

/** GET the authorize URL: the sandbox's consent page. */
export async function openConsent(authorizeUrl: string): Promise<ConsentPage> {
  const answer = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await answer.text();
  const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  return { status: answer.status, html, headers: answer.headers, requestId, action: new URL(action.replace(/&amp;/g, '&'), authorizeUrl).toString() };
}

/** POST the consent form with the person's choice, as a browser submits it; resolves to the redirect's Location. */
export async function answerConsent(page: ConsentPage, decision: 'allow' | 'deny'): Promise<string> {
  const answer = await fetch(page.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request: page.requestId, decision }).toString(),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the consent form answered ${answer.status}: ${await answer.text()}`);
  return location;
}

/** GET the callback the vendor redirected to: our service's answer (a redirect to the return path, or a 400 page). */
export async function followCallback(callbackUrl: string): Promise<{ status: number; location: string | null; body: string; headers: Headers }> {
  const answer = await fetch(callbackUrl, { redirect: 'manual' });
  return { status: answer.status, location: answer.headers.get('location'), body: await answer.text(), headers: answer.headers };
}

/** The whole round trip with one choice: where the browser lands, with the parameters our callback added. */
export async function connectThroughConsent(
  baseUrl: string,
  auth: Record<string, string>,
  body: Record<string, unknown>,
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ flow: StartedFlow; callback: string; landing: URL }> {
  const flow = await startFlow(baseUrl, auth, body);
  const consent = await openConsent(flow.authorizeUrl);
  if (consent.status !== 200) throw new Error(`the consent page answered ${consent.status}: ${consent.html}`);
  const callback = await answerConsent(consent, decision);
  const back = await followCallback(callback);
  if (back.status !== 303 || !back.location) throw new Error(`the callback answered ${back.status}: ${back.body}`);
  return { flow, callback, landing: new URL(back.location, baseUrl) };
}

/** A connection's credentials as stored, decrypted with the service's key (what the connectors get). */
export async function storedCredentials<T = Record<string, unknown>>(app: INestApplicationContext, connectionId: string): Promise<T & { sealed: string }> {
  const [row] = await app.get(DataSource).query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [connectionId]);
  const cipher = CredentialCipher.fromConfig(app.get<AppConfig>(APP_CONFIG));
  return { ...cipher.decrypt<T>(row.credentials_encrypted), sealed: row.credentials_encrypted as string };
}
