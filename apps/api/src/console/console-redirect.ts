import type { Response } from 'express';
import { ConsoleRequest } from './console-access';

/**
 * After a form: back to a page (303, so a reload does not post again), with one sentence about
 * what happened. The session is saved before the redirect is sent: a browser follows a redirect
 * as soon as its headers arrive, before express-session would otherwise have stored the notice.
 */
export async function redirectWithNotice(req: ConsoleRequest, res: Response, url: string, notice: string): Promise<void> {
  req.session.notice = notice;
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
  res.redirect(303, url);
}

/** Who did it, as the audit log records it. */
export function consoleActor(req: ConsoleRequest): string {
  return `console_user:${req.consoleUser?.id ?? 'unknown'}`;
}
