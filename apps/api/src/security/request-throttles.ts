import { isIPv6 } from 'node:net';
import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { page } from '@libs/app/src/html/html';

/** The counters' table (migration 20261205190000), shared by every api process on the database. */
const THROTTLE_TABLE = 'request_throttles';

export interface ThrottleRule {
  /** Failures a client may have… */
  failures: number;
  /** …in this window, counted from its first failure. */
  windowSeconds: number;
}

/** Failed admin authentications per client. A person mistyping a key is far below this; a scan is not. */
export const FAILED_ADMIN_AUTH: ThrottleRule = { failures: 20, windowSeconds: 600 };
/** Unknown survey or response-page links per client: room for a mistyped link, none for guessing. */
export const UNKNOWN_TOKENS: ThrottleRule = { failures: 60, windowSeconds: 600 };

/**
 * The client a request counts against: its address (Express's `req.ip`, which follows the app's
 * `trust proxy` setting). IPv6 counts per /64, the block one subscriber gets, so a client cannot
 * dodge the limit by walking its own addresses.
 */
export function clientKey(req: Request): string {
  const address = (req.ip ?? req.socket?.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':')}::/64`;
}

/**
 * Counts failures per client in Postgres (rate-limiter-flexible's RateLimiterPostgres), so the
 * limit holds across every api process. Only failures are counted and only failures are refused:
 * a valid admin key or a known link always works, so an attacker sharing an address with a
 * colleague cannot lock them out. Admin keys carry 256 random bits, so the limit is about noise
 * and load, not about a key being guessed.
 */
@Injectable()
export class RequestThrottles {
  private readonly logger = new Logger('RequestThrottles');
  private readonly adminAuth: RateLimiterPostgres;
  private readonly unknownTokens: RateLimiterPostgres;

  constructor(dataSource: DataSource) {
    const limiter = (keyPrefix: string, rule: ThrottleRule) =>
      new RateLimiterPostgres({
        storeClient: dataSource,
        storeType: 'typeorm',
        tableName: THROTTLE_TABLE,
        // The migration made the table; the library must not create one of its own.
        tableCreated: true,
        keyPrefix,
        points: rule.failures,
        duration: rule.windowSeconds,
      });
    this.adminAuth = limiter('admin_auth', FAILED_ADMIN_AUTH);
    this.unknownTokens = limiter('unknown_token', UNKNOWN_TOKENS);
  }

  /** Counts a failed admin authentication; the seconds to wait when the client is over the limit. */
  failedAdminAuth(req: Request): Promise<number | undefined> {
    return this.count(this.adminAuth, req);
  }

  /**
   * Counts an unknown survey or response-page link. Over the limit it answers 429 itself (a
   * plain page with Retry-After) and returns true; otherwise the caller answers its 404.
   */
  async refuseUnknownToken(res: Response): Promise<boolean> {
    const wait = await this.count(this.unknownTokens, res.req);
    if (wait === undefined) return false;
    const minutes = Math.ceil(wait / 60);
    res
      .status(429)
      .set({ 'Retry-After': String(wait), 'Cache-Control': 'no-store' })
      .type('html')
      .send(
        page({
          title: 'Too many unknown links',
          body: `\n<h1>Too many unknown links</h1>\n<p>Too many links from your network did not match anything. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.</p>`,
        }),
      );
    return true;
  }

  private async count(limiter: RateLimiterPostgres, req: Request): Promise<number | undefined> {
    try {
      await limiter.consume(clientKey(req));
      return undefined;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      // The counter is a defence, not the gate: with Postgres unreachable the request fails on
      // its own lookup anyway, and a failing counter must not turn a 401/404 into a 500.
      this.logger.warn(`throttle counter unavailable: ${(outcome as Error).message}`);
      return undefined;
    }
  }
}
