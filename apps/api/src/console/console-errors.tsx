import { ArgumentsHost, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConsoleRequest, ConsoleSignInRequired, pageContext } from './console-access';
import { renderPage } from './render';

/** Requests whose errors are answered with console pages: the console and the root that leads to it. */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === '/console' || path.startsWith('/console/');
}

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That could not be done',
  410: 'This link no longer works',
  413: 'That was too large',
  429: 'Too many attempts',
};

const logger = new Logger('Console');

function messagesOf(exception: HttpException): string[] {
  const body = exception.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String);
  return typeof message === 'string' && message ? [message] : [];
}

/** A page that says what went wrong and where to go from here. */
export function errorPage(req: ConsoleRequest, status: number, messages: string[], title = TITLES[status] ?? 'Something went wrong'): string {
  const ctx = pageContext(req);
  return renderPage(ctx, {
    title,
    children: (
      <>
        {messages.map((message) => (
          <p key={message}>{message}</p>
        ))}
        <p>{ctx.user ? <a href="/console">Go to the dashboard</a> : <a href="/console/login">Go to sign in</a>}</p>
      </>
    ),
  });
}

/**
 * Answers an error on a console path with a page (never JSON): sign-in needed → redirect to the
 * sign-in page with where the person was going; HTTP errors → a page with their status and
 * words; anything else is a bug → logged with its stack, 500 and a page that reveals nothing.
 */
export function answerConsoleError(exception: unknown, host: ArgumentsHost): void {
  const req = host.switchToHttp().getRequest<Request>();
  const res = host.switchToHttp().getResponse<Response>();
  if (res.headersSent) return void res.end();
  res.setHeader('Cache-Control', 'no-store');
  if (exception instanceof ConsoleSignInRequired) {
    const back = req.method === 'GET' || req.method === 'HEAD' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
    return void res.redirect(req.method === 'GET' || req.method === 'HEAD' ? 302 : 303, `/console/login${back}`);
  }
  let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
  let messages = ['The console could not show this page. The error has been logged; please try again, or tell whoever runs nps-bridge.'];
  if (exception instanceof HttpException) {
    status = exception.getStatus();
    if (status < 500) messages = messagesOf(exception);
    const retryAfter = res.getHeader('Retry-After');
    if (status === 429 && retryAfter) messages.push(`Try again in ${Math.ceil(Number(retryAfter) / 60)} minute(s).`);
  }
  if (status >= 500) logger.error({ path: req.path, error: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception) }, 'console page failed');
  if (status === 404 && !messages.length) messages = ['There is no console page at this address.'];
  res
    .status(status)
    .type('html')
    .send(errorPage(req as ConsoleRequest, status, messages));
}
