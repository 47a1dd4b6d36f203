import { Body, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleSingleSignOnService } from '@libs/app/src/console-users/console-single-sign-on.service';
import { ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import { ConsoleController, ConsoleRequest, OpenTo, pageContext } from '../console-access';
import { endConsoleSession, startConsoleSession } from '../console-session';
import { SignInForm, signInPage } from './sign-in.pages';
import { SignInThrottle } from './sign-in-throttle';

/** The same words for an unknown email, a wrong password and an account without one: they tell a guesser nothing. */
export const SIGN_IN_FAILED = 'The email or password is not right. Check both and try again.';

/** Where to go after signing in: a console page only (never another site), and never back to sign-in. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/console(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(next)) return '/console';
  if (/^\/console\/(login|logout)(\/|\?|$)/.test(next)) return '/console';
  return next;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

@ConsoleController()
@OpenTo('everyone')
export class SignInController {
  constructor(
    private readonly users: ConsoleUserService,
    private readonly throttle: SignInThrottle,
    private readonly singleSignOn: ConsoleSingleSignOnService,
  ) {}

  @Get('login')
  form(@Req() req: ConsoleRequest, @Res() res: Response, @Query('next') next?: string, @Query('signed-out') signedOut?: string): void {
    if (req.consoleUser) return void res.redirect(303, safeNext(next));
    const failed = req.session?.signInProblem;
    if (failed) delete req.session.signInProblem;
    res.type('html').send(this.page(req, { next: next === undefined ? undefined : safeNext(next), signedOut: signedOut === '1', failed }));
  }

  @Post('login')
  async signIn(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const email = text(body.email).trim();
    const password = text(body.password);
    const next = body.next === undefined ? undefined : safeNext(body.next);
    const wait = await this.throttle.waitBeforeTrying(req, email);
    if (wait !== undefined) {
      const minutes = Math.ceil(wait / 60);
      res.setHeader('Retry-After', String(wait));
      return void res
        .status(HttpStatus.TOO_MANY_REQUESTS)
        .type('html')
        .send(this.page(req, { email, next, failed: `Too many failed sign-ins. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` }));
    }
    const user = email && password ? await this.users.signIn(email, password) : undefined;
    if (!user) {
      await this.throttle.failed(req, email);
      return void res
        .status(HttpStatus.UNAUTHORIZED)
        .type('html')
        .send(this.page(req, { email, next, failed: SIGN_IN_FAILED }));
    }
    await this.throttle.succeeded(email);
    await startConsoleSession(req, user);
    res.redirect(303, next ?? '/console');
  }

  @Post('logout')
  async signOut(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await endConsoleSession(req, res);
    res.redirect(303, '/console/login?signed-out=1');
  }

  /** The sign-in page, with "Sign in with …" when single sign-on is configured. */
  private page(req: ConsoleRequest, form: SignInForm): string {
    return signInPage(pageContext(req), { ...form, singleSignOn: this.singleSignOn.provider });
  }
}
