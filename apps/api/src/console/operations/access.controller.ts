import { Body, ConflictException, Get, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConsoleUserRefused, ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import { ParseIdPipe } from '../../http/input-pipes';
import { ConsoleController, ConsoleRequest, pageContext } from '../console-access';
import { formText } from '../console-input';
import { consoleActor, redirectWithNotice } from '../console-redirect';
import { ADMIN_KEYS_URL, adminKeysPage, createdAdminKeyPage, revokeAdminKeyPage } from './admin-keys.page';
import { removeUserPage, USERS_URL, usersPage } from './users.page';

/** Who gets in (admin only): admin keys for the API and the console's own users. */
@ConsoleController('operations')
export class AccessController {
  constructor(
    private readonly keys: AdminKeyService,
    private readonly users: ConsoleUserService,
  ) {}

  @Get('admin-keys')
  async keyList(@Req() req: ConsoleRequest): Promise<string> {
    return adminKeysPage(pageContext(req), await this.keys.list());
  }

  @Post('admin-keys')
  async createKey(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const name = formText(body.name).trim();
    if (!name || name.length > 100) {
      const error = name ? 'must be at most 100 characters' : 'is required';
      return void res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(adminKeysPage(pageContext(req), await this.keys.list(), { name, error }));
    }
    const created = await this.keys.create(name, consoleActor(req));
    res
      .status(HttpStatus.CREATED)
      .type('html')
      .send(createdAdminKeyPage(pageContext(req), created));
  }

  @Get('admin-keys/:id/revoke')
  async confirmRevoke(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    const key = (await this.keys.list()).find((k) => k.id === id && !k.revokedAt);
    if (!key) throw new NotFoundException(`There is no active admin key with id ${id}.`);
    return revokeAdminKeyPage(pageContext(req), key);
  }

  @Post('admin-keys/:id/revoke')
  async revoke(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.keys.revoke(id, consoleActor(req));
    await redirectWithNotice(req, res, ADMIN_KEYS_URL, 'The key was revoked: requests with it are refused from now on.');
  }

  @Get('users')
  async userList(@Req() req: ConsoleRequest): Promise<string> {
    return usersPage(pageContext(req), await this.users.list());
  }

  @Post('users')
  async addUser(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const form = { email: formText(body.email), password: formText(body.password), role: formText(body.role) };
    try {
      const user = await this.users.create(form, consoleActor(req));
      await redirectWithNotice(req, res, USERS_URL, `${user.email} was added as ${user.role === 'admin' ? 'an admin' : 'a viewer'}.`);
    } catch (error) {
      if (!(error instanceof ConsoleUserRefused)) throw error;
      res
        .status(error.getStatus())
        .type('html')
        .send(usersPage(pageContext(req), await this.users.list(), { email: form.email, role: form.role, errors: error.problems }));
    }
  }

  @Post('users/:id/role')
  async changeRole(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    try {
      const user = await this.users.changeRole(id, formText(body.role), consoleActor(req));
      await redirectWithNotice(req, res, USERS_URL, `${user.email} is now ${user.role === 'admin' ? 'an admin' : 'a viewer'}.`);
    } catch (error) {
      if (!(error instanceof ConsoleUserRefused || error instanceof ConflictException)) throw error;
      const problem = error instanceof ConsoleUserRefused ? `Role ${error.problems.role ?? 'is not valid'}.` : error.message;
      res
        .status(error.getStatus())
        .type('html')
        .send(usersPage(pageContext(req), await this.users.list(), {}, problem));
    }
  }

  @Get('users/:id/remove')
  async confirmRemove(@Req() req: ConsoleRequest, @Param('id', ParseIdPipe) id: string): Promise<string> {
    const user = await this.users.find(id);
    if (!user) throw new NotFoundException(`There is no console user with id ${id}.`);
    return removeUserPage(pageContext(req), user);
  }

  @Post('users/:id/remove')
  async remove(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id', ParseIdPipe) id: string): Promise<void> {
    const user = await this.users.find(id);
    if (!user) throw new NotFoundException(`There is no console user with id ${id}.`);
    try {
      await this.users.remove(id, consoleActor(req));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      return void res
        .status(HttpStatus.CONFLICT)
        .type('html')
        .send(usersPage(pageContext(req), await this.users.list(), {}, error.message));
    }
    await redirectWithNotice(req, res, USERS_URL, `${user.email} was removed.`);
  }
}
