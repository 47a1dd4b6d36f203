import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * CSRF protection for every console form (synchroniser tokens, csrf-sync): the token lives in the
 * session and each form carries it in the `_csrf` field. A POST whose token is missing or wrong is
 * refused with 403 (ConsoleCsrfMiddleware renders the page).
 */
export const consoleCsrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
  size: 32,
});
