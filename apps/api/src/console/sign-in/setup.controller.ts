import { Body, Get, GoneException, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleSetupService, SETUP_LINK_GONE } from '@libs/app/src/console-users/console-setup.service';
import { ConsoleUserRefused } from '@libs/app/src/console-users/console-users.service';
import { ConsoleController, ConsoleRequest, OpenTo, pageContext } from '../console-access';
import { redirectWithNotice } from '../console-redirect';
import { startConsoleSession } from '../console-session';
import { setupGonePage, setupPage } from './sign-in.pages';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The first admin, made through the one-time link the all-in-one prints while no console user exists. */
@ConsoleController('setup')
@OpenTo('everyone')
export class SetupController {
  constructor(private readonly setup: ConsoleSetupService) {}

  @Get()
  async form(@Req() req: ConsoleRequest, @Res() res: Response, @Query('token') token?: string): Promise<void> {
    if (!(await this.setup.isUsable(token)))
      return void res
        .status(HttpStatus.GONE)
        .type('html')
        .send(setupGonePage(pageContext(req), SETUP_LINK_GONE));
    res.type('html').send(setupPage(pageContext(req), { token: token! }));
  }

  @Post()
  async create(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const token = text(body.token);
    const email = text(body.email);
    if (text(body.password) !== text(body.passwordAgain)) {
      return void res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(setupPage(pageContext(req), { token, email, errors: { passwordAgain: 'must be the same as the password' } }));
    }
    try {
      const user = await this.setup.createFirstAdmin(token, { email, password: body.password });
      await startConsoleSession(req, user);
      await redirectWithNotice(req, res, '/console', `Welcome. You are the first admin of this console (${user.email}).`);
    } catch (error) {
      if (error instanceof ConsoleUserRefused) {
        return void res
          .status(error.getStatus())
          .type('html')
          .send(setupPage(pageContext(req), { token, email, errors: error.problems }));
      }
      if (error instanceof GoneException)
        return void res
          .status(HttpStatus.GONE)
          .type('html')
          .send(setupGonePage(pageContext(req), SETUP_LINK_GONE));
      throw error;
    }
  }
}
