import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, Observable, of, throwError } from 'rxjs';
import { page } from '@libs/app/src/html/html';

/** What the page asks the respondent (and Retry-After tells a client) to wait. */
const RETRY_AFTER_SECONDS = 60;

/** Socket errors of a database that is not there (stopped, restarting, unreachable). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Postgres SQLSTATEs of the same: class 08 (connection), 57P0x (shut down, restarting), 53300 (too many connections). */
const UNAVAILABLE_STATE = /^(08\d{3}|57P0\d|53300)$/;
/** node-postgres says these in words only. */
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

/** Whether an error means "the database is down right now" rather than a fault in the request or the code. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code))) return true;
    if (current instanceof Error && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

function renderTryAgainPage(): string {
  const body = `
<h1>Please try again in a minute</h1>
<p>The survey cannot be opened right now. Nothing is wrong with your link: open it again in a minute, or use the link in the email later.</p>`;
  return page({ title: 'Please try again in a minute', body, noindex: true });
}

/**
 * The respondent's pages while Postgres is down (stopped, restarting, out of connections): a
 * plain page saying to try again in a minute, 503 with Retry-After, never a JSON 500 on a phone.
 * An interceptor, not an exception filter, so every other error still reaches the app's filters.
 */
@Injectable()
export class SurveyPagesWhileDatabaseDown implements NestInterceptor {
  private readonly logger = new Logger('SurveyPages');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const res = context.switchToHttp().getResponse<Response>();
        if (!isDatabaseUnavailable(error) || res.headersSent) return throwError(() => error);
        this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'survey page answered 503: the database is unavailable');
        res
          .status(503)
          .set({ 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
          .type('html')
          .send(renderTryAgainPage());
        return of(undefined);
      }),
    );
  }
}
