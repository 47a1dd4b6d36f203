import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { ConsoleRequest } from './console-access';
import { consoleCsrf } from './console-csrf';
import { errorPage } from './console-errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every console POST (any unsafe method) whose `_csrf` field does not match the session's
 * token: 403 with a page saying what to do, before any controller runs.
 */
@Injectable()
export class ConsoleCsrfMiddleware implements NestMiddleware {
  use(req: ConsoleRequest, res: Response, next: NextFunction): void {
    if (SAFE_METHODS.has(req.method) || (req.session && consoleCsrf.isRequestValid(req))) return next();
    res
      .status(403)
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(
        errorPage(
          req,
          403,
          [
            'The form was sent without its security token, or with one that is no longer valid (the page was open for a long time, or you signed in or out in another tab).',
            'Go back, reload the page and send the form again.',
          ],
          'This form could not be accepted',
        ),
      );
  }
}
