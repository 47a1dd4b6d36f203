import { HttpException, HttpStatus, Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestThrottles } from '../security/request-throttles';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { bearerToken } from '@libs/app/src/admin-keys/admin-key-secret';

export interface AdminRequest extends Request {
  adminKey?: { id: string; name: string };
}

/**
 * Guards every /api route, matched or not, before routing: an unknown /api path without a key
 * answers 401, so the API's shape is not discoverable without a key. Each failure counts against
 * the client; past the limit failures answer 429 with Retry-After (a valid key still works).
 */
@Injectable()
export class AdminKeyMiddleware implements NestMiddleware {
  constructor(
    private readonly keys: AdminKeyService,
    private readonly throttles: RequestThrottles,
  ) {}

  async use(req: AdminRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      const token = bearerToken(req.headers.authorization);
      const key = token ? await this.keys.verify(token) : undefined;
      if (!key) {
        await this.refuseIfThrottled(req, res);
        throw new UnauthorizedException(token ? 'the admin key is not valid or has been revoked' : 'Authorization: Bearer <admin key> is required');
      }
      req.adminKey = { id: key.id, name: key.name };
      next();
    } catch (error) {
      next(error);
    }
  }

  private async refuseIfThrottled(req: Request, res: Response): Promise<void> {
    const wait = await this.throttles.failedAdminAuth(req);
    if (wait === undefined) return;
    res.setHeader('Retry-After', String(wait));
    throw new HttpException(`too many failed admin authentications from this address; try again in ${wait} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
