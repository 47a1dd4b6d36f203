import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminKeyService } from './admin-key.service';
import { bearerToken } from './admin-key-secret';

export interface AdminRequest extends Request {
  adminKey?: { id: string; name: string };
}

/**
 * Guards every /api route, matched or not, before routing: an unknown /api path without a key
 * answers 401, so the API's shape is not discoverable without a key.
 */
@Injectable()
export class AdminKeyMiddleware implements NestMiddleware {
  constructor(private readonly keys: AdminKeyService) {}

  async use(req: AdminRequest, _res: Response, next: NextFunction): Promise<void> {
    try {
      const token = bearerToken(req.headers.authorization);
      if (!token) throw new UnauthorizedException('Authorization: Bearer <admin key> is required');
      const key = await this.keys.verify(token);
      if (!key) throw new UnauthorizedException('the admin key is not valid or has been revoked');
      req.adminKey = { id: key.id, name: key.name };
      next();
    } catch (error) {
      next(error);
    }
  }
}
