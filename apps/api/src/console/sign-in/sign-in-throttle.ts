import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { clientKey, ThrottleRule } from '../../security/request-throttles';

/** Failed sign-ins per client address (IPv6 per /64): room for a person mistyping, none for guessing. */
export const FAILED_SIGN_INS_PER_CLIENT: ThrottleRule = { failures: 10, windowSeconds: 900 };
/**
 * Failed sign-ins per email, from anywhere: slows guessing one person's password from many
 * addresses. Higher than per client, so someone else's typos cannot easily lock a person out.
 */
export const FAILED_SIGN_INS_PER_EMAIL: ThrottleRule = { failures: 30, windowSeconds: 3600 };

/**
 * The console's sign-in throttle, counted in Postgres (rate-limiter-flexible, table
 * request_throttles) so it holds across every api process. Unlike the admin-key throttle, a
 * client over the limit is refused before its password is checked, right or wrong: otherwise the
 * limit would still tell a guesser when a guess was right.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger('SignInThrottle');
  private readonly perClient: RateLimiterPostgres;
  private readonly perEmail: RateLimiterPostgres;

  constructor(dataSource: DataSource) {
    const limiter = (keyPrefix: string, rule: ThrottleRule) =>
      new RateLimiterPostgres({
        storeClient: dataSource,
        storeType: 'typeorm',
        tableName: 'request_throttles',
        tableCreated: true,
        keyPrefix,
        points: rule.failures,
        duration: rule.windowSeconds,
      });
    this.perClient = limiter('console_sign_in', FAILED_SIGN_INS_PER_CLIENT);
    this.perEmail = limiter('console_sign_in_email', FAILED_SIGN_INS_PER_EMAIL);
  }

  private static emailKey(email: string): string {
    return email.trim().toLowerCase();
  }

  /** Seconds to wait when this client or this email used up its failures; undefined to go ahead. */
  async waitBeforeTrying(req: Request, email: string): Promise<number | undefined> {
    const waits = await Promise.all([
      this.wait(this.perClient, clientKey(req), FAILED_SIGN_INS_PER_CLIENT),
      this.wait(this.perEmail, SignInThrottle.emailKey(email), FAILED_SIGN_INS_PER_EMAIL),
    ]);
    const longest = Math.max(...waits.map((w) => w ?? 0));
    return longest > 0 ? longest : undefined;
  }

  async failed(req: Request, email: string): Promise<void> {
    await Promise.all([this.count(this.perClient, clientKey(req)), this.count(this.perEmail, SignInThrottle.emailKey(email))]);
  }

  /** A right password clears the email's count (a person's earlier typos do not pile up); the client's stays. */
  async succeeded(email: string): Promise<void> {
    try {
      await this.perEmail.delete(SignInThrottle.emailKey(email));
    } catch (error) {
      this.logger.warn(`throttle counter unavailable: ${(error as Error).message}`);
    }
  }

  private async wait(limiter: RateLimiterPostgres, key: string, rule: ThrottleRule): Promise<number | undefined> {
    try {
      const state = await limiter.get(key);
      return state && state.consumedPoints >= rule.failures ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : undefined;
    } catch (error) {
      // A defence, not the gate: with Postgres unreachable the sign-in fails on its own lookup anyway.
      this.logger.warn(`throttle counter unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async count(limiter: RateLimiterPostgres, key: string): Promise<void> {
    try {
      await limiter.penalty(key, 1);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) this.logger.warn(`throttle counter unavailable: ${(error as Error).message}`);
    }
  }
}
