import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every page we render (survey pages, the response page, the
 * sandbox and mail catcher, error pages) and of /docs.
 *
 * Scripts: only same-origin files (`/assets/survey.js`, Swagger UI's bundle and init file), no
 * inline script, no inline event handlers, no eval. /docs needs nothing more: @nestjs/swagger
 * serves Swagger UI's init code as a file (/docs/swagger-ui-init.js), its icons are data: URLs,
 * and "Try it out" calls this origin; test/security-headers.e2e.spec.ts renders it in chromium.
 *
 * Styles: `'unsafe-inline'` is allowed on purpose. Every page carries its one small stylesheet
 * inline so it renders fully on the first response over a poor phone connection, and the mail
 * catcher shows caught emails whose styling is, as in every email, inline `style=` attributes
 * (the preview iframe inherits this policy). Inline CSS cannot run code; what it could do after
 * an injection (read attribute values through selectors and send them out as image or font
 * requests) is cut off by `img-src` and `font-src` allowing this origin only, and every value
 * a page interpolates is escaped anyway.
 */
const PAGE_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The console's policy is stricter: its pages link one stylesheet (/console/assets/console.css)
 * and carry no inline style or script at all, so `style-src` is same-origin only.
 */
const CONSOLE_POLICY = { ...PAGE_POLICY, 'style-src': ["'self'"] };

/** Paths whose pages or answers carry a secret in the URL or the body (console pages: CSRF tokens, new keys): never stored by a cache. */
const TOKEN_PATHS = /^\/(s|r|sandbox|api|console)(\/|$)/;
const CONSOLE_PATHS = /^\/(console(\/|$)|$)/;

/**
 * Helmet on every response (pages and JSON alike; only pages read most of it), `Cache-Control:
 * no-store` where a token travels, and no X-Powered-By. Must run before any route is
 * registered (Swagger's among them), so http-app calls it first.
 */
export function applySecurityHeaders(app: INestApplication): void {
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  const withPolicy = (directives: typeof PAGE_POLICY) =>
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives },
      // frame-ancestors 'none' for browsers that know CSP 3, DENY for the ones that do not.
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      xContentTypeOptions: true,
      xPoweredBy: true,
    });
  const headers = withPolicy(PAGE_POLICY);
  const consoleHeaders = withPolicy(CONSOLE_POLICY);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (TOKEN_PATHS.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    (CONSOLE_PATHS.test(req.path) ? consoleHeaders : headers)(req, res, next);
  });
}
