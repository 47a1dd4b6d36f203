import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import type { INestApplicationContext } from '@nestjs/common';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run); a developer machine without it skips the browser tests, loudly.
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: .ci/run installs it with apt`);

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

/** Where the console's screenshots go (kept in the repository: test/artifacts/console/<page>.png). */
export const CONSOLE_ARTIFACTS = join(__dirname, '..', 'artifacts', 'console');
export function artifactPath(name: string): string {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  return join(CONSOLE_ARTIFACTS, `${name}.png`);
}

/** A console user made through the application service (as the admin:user command does). */
export async function makeConsoleUser(app: INestApplicationContext, email: string, password: string, role: 'admin' | 'viewer'): Promise<string> {
  return (await app.get(ConsoleUserService).create({ email, password, role }, 'test')).id;
}

/** Signs in through the form, as a person would; resolves once the page after sign-in has loaded. */
export async function signInInBrowser(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/console/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** A browser context for `viewport`, with or without JavaScript. */
export function consoleContext(browser: Browser, viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<BrowserContext> {
  return browser.newContext({ viewport, javaScriptEnabled });
}

/** The CSRF token of the form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field on the page');
  return match[1];
}

/** A cookie-keeping HTTP client signed in to the console through the real form. */
export async function signedInAgent(baseUrl: string, email: string, password: string): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(baseUrl);
  const form = await agent.get('/console/login');
  const answer = await agent
    .post('/console/login')
    .type('form')
    .send({ _csrf: csrfOf(form.text), email, password });
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
  return agent;
}

/** How far a page scrolls sideways (0: it fits the viewport). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
}
