import { applyDecorators, CanActivate, Controller, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { ConsoleUser, ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import { consoleCsrf } from './console-csrf';
import { PageContext } from './page-context';

/** A console request once the guard ran: `consoleUser` is the signed-in user (on pages open to everyone, if any). */
export interface ConsoleRequest extends Request {
  consoleUser?: ConsoleUser;
}

/** Who may open a page: `viewer` pages are open to admins too; `everyone` needs no sign-in (sign-in and setup pages). */
export type ConsoleAudience = 'admin' | 'viewer' | 'everyone';

const OPEN_TO = 'console:open-to';

/** Opens a console controller or route to more than admins (the default): `@OpenTo('viewer')`. */
export const OpenTo = (audience: ConsoleAudience) => SetMetadata(OPEN_TO, audience);

/** Thrown when a page needs a signed-in person and there is none: the error pages send the browser to sign in. */
export class ConsoleSignInRequired extends Error {
  constructor() {
    super('sign in to the console first');
  }
}

/**
 * Lets a request through to a console page when its session's user may open it. The user is read
 * from Postgres at every request, so a removed user is signed out and a changed role counts at
 * once; the session keeps { userId, role } only. No session: ConsoleSignInRequired (a redirect to
 * /console/login?next=…); a viewer on an admin page: 403.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: ConsoleUserService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const audience = this.reflector.getAllAndOverride<ConsoleAudience | undefined>(OPEN_TO, [context.getHandler(), context.getClass()]) ?? 'admin';
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const signedIn = req.session?.console;
    const user = signedIn ? await this.users.find(signedIn.userId) : undefined;
    if (signedIn && !user) delete req.session.console; // removed meanwhile
    if (user && signedIn && signedIn.role !== user.role) signedIn.role = user.role;
    req.consoleUser = user;
    if (audience === 'everyone') return true;
    if (!user) throw new ConsoleSignInRequired();
    if (audience === 'admin' && user.role !== 'admin') throw new ForbiddenException('This page is for admins. Your account can open the dashboard and reports.');
    return true;
  }
}

/**
 * A controller of console pages under /console/<path>: guarded (admin only unless `@OpenTo` says
 * otherwise), left out of the API docs. Errors become pages (console-errors: sign-in redirect,
 * 403, 404, …) through the app's exception filter.
 */
export function ConsoleController(path = ''): ClassDecorator {
  return applyDecorators(Controller(path ? `console/${path}` : 'console'), ApiExcludeController(), UseGuards(ConsoleGuard));
}

/** The page context of a request: its user, its CSRF token, its path and the notice left for it (used up here). */
export function pageContext(req: ConsoleRequest): PageContext {
  const notice = req.session?.notice;
  if (notice) delete req.session.notice;
  return {
    user: req.consoleUser,
    csrfToken: req.session ? consoleCsrf.generateToken(req) : undefined,
    path: req.path.replace(/\/+$/, '') || '/',
    notice,
  };
}
