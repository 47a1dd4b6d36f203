import { Get, NotFoundException, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleSingleSignOnService, SingleSignOnRefused } from '@libs/app/src/console-users/console-single-sign-on.service';
import { ConsoleController, ConsoleRequest, OpenTo } from '../console-access';
import { startConsoleSession } from '../console-session';
import { safeNext } from './sign-in.controller';

const saved = (req: ConsoleRequest) => new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));

/**
 * Single sign-on with OpenID Connect (CONSOLE_OIDC_*): "Sign in with …" on the sign-in page links
 * to /console/oidc/start, which sends the browser to the provider (a link and a redirect, not a
 * form: the console's CSP form-action is 'self'); the provider sends it back to
 * /console/oidc/callback. Every refusal goes back to the sign-in page with its reason; 404 while
 * single sign-on is not configured.
 */
@ConsoleController('oidc')
@OpenTo('everyone')
export class SingleSignOnController {
  constructor(private readonly sso: ConsoleSingleSignOnService) {}

  @Get('start')
  async start(@Req() req: ConsoleRequest, @Res() res: Response, @Query('next') next?: string): Promise<void> {
    this.configured();
    const after = next === undefined ? undefined : safeNext(next);
    if (req.consoleUser) return void res.redirect(303, after ?? '/console');
    try {
      const { authorizationUrl, flow } = await this.sso.start(after);
      req.session.singleSignOn = flow;
      await saved(req); // before the browser leaves: it may come back to another api process
      res.redirect(303, authorizationUrl);
    } catch (error) {
      if (!(error instanceof SingleSignOnRefused)) throw error;
      await this.backToSignIn(req, res, error.message, after);
    }
  }

  @Get('callback')
  async callback(@Req() req: ConsoleRequest, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    this.configured();
    const flow = req.session.singleSignOn;
    delete req.session.singleSignOn; // used once, whatever the answer
    try {
      const user = await this.sso.finish(flow, query);
      await startConsoleSession(req, user);
      res.redirect(303, flow?.next ?? '/console');
    } catch (error) {
      if (!(error instanceof SingleSignOnRefused)) throw error;
      await this.backToSignIn(req, res, error.message, flow?.next);
    }
  }

  private configured(): void {
    if (!this.sso.provider) throw new NotFoundException('Single sign-on is not configured for this console.');
  }

  /** To the sign-in page, which shows why (once); the address bar loses the provider's code and state. */
  private async backToSignIn(req: ConsoleRequest, res: Response, problem: string, next: string | undefined): Promise<void> {
    req.session.signInProblem = problem;
    await saved(req);
    res.redirect(303, next ? `/console/login?next=${encodeURIComponent(next)}` : '/console/login');
  }
}
