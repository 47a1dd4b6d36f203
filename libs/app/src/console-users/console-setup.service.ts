import { createHash, randomBytes } from 'node:crypto';
import { GoneException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { ConsoleSetupTokensRepository } from '@libs/db/src/repositories/console-setup-tokens.repository';
import { ConsoleUsersRepository } from '@libs/db/src/repositories/console-users.repository';
import { ConsoleUser, ConsoleUserService } from './console-users.service';

/** How long a printed setup link works. */
export const SETUP_LINK_HOURS = 24;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const SETUP_LINK_GONE = 'This setup link has been used or has expired.';

/**
 * The first admin of a new install: while no console user exists, the all-in-one prints a link
 * with a one-time token (256 random bits; only its SHA-256 is stored) that lets whoever holds it
 * make the first admin. A link works once, for SETUP_LINK_HOURS, and only while there is still
 * no console user; printing a new link withdraws the older ones.
 */
@Injectable()
export class ConsoleSetupService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly users: ConsoleUserService,
  ) {}

  /** A new setup token when no console user exists yet (older links withdrawn); undefined otherwise. */
  async issueFirstAdminToken(): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      const tokens = new ConsoleSetupTokensRepository(tx);
      await tokens.lockFirstAdmin();
      if ((await new ConsoleUsersRepository(tx).count()) > 0) return undefined;
      const token = randomBytes(32).toString('base64url');
      const now = this.clock.now();
      await tokens.withdrawUnused();
      await tokens.create(hashToken(token), now, new Date(now.getTime() + SETUP_LINK_HOURS * 3_600_000));
      return token;
    });
  }

  /** Whether a link with this token would make the first admin now. */
  async isUsable(token: unknown): Promise<boolean> {
    if (typeof token !== 'string' || token === '') return false;
    if ((await this.users.count()) > 0) return false;
    return new ConsoleSetupTokensRepository(this.db.manager).isUsable(hashToken(token), this.clock.now());
  }

  /**
   * Makes the first admin and uses the token up, in one transaction. 410 when the token is
   * unknown, used or expired, or an admin exists already; bad input is refused naming the field
   * and leaves the token usable.
   */
  async createFirstAdmin(token: unknown, input: { email: unknown; password: unknown }): Promise<ConsoleUser> {
    if (typeof token !== 'string' || token === '') throw new GoneException(SETUP_LINK_GONE);
    return this.db.transaction(async (tx) => {
      const tokens = new ConsoleSetupTokensRepository(tx);
      await tokens.lockFirstAdmin();
      if ((await new ConsoleUsersRepository(tx).count()) > 0 || !(await tokens.isUsable(hashToken(token), this.clock.now()))) {
        throw new GoneException(SETUP_LINK_GONE);
      }
      const user = await this.users.create({ ...input, role: 'admin' }, 'console_setup_link', tx);
      await tokens.use(hashToken(token), this.clock.now());
      return user;
    });
  }
}
