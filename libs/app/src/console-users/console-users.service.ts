import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AuditLogRepository } from '@libs/db/src/repositories/audit-log.repository';
import { ConsoleRole, ConsoleUserRow, ConsoleUsersRepository } from '@libs/db/src/repositories/console-users.repository';
import { hashPassword, needsRehash, passwordMatches, spendVerification } from './console-password';
import { checkNewConsoleUser, NewConsoleUser, roleProblem } from './console-user-input';

export type { ConsoleRole } from '@libs/db/src/repositories/console-users.repository';

/** A console user as the console shows it: never the password hash. */
export interface ConsoleUser {
  id: string;
  email: string;
  role: ConsoleRole;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/**
 * A new user or a change refused, with what is wrong per field (`email`, `password`, `role`):
 * 400 for input, 409 for a conflict with what is stored. The message lists "<field>: <problem>".
 */
export class ConsoleUserRefused extends HttpException {
  constructor(
    readonly problems: Record<string, string>,
    status: HttpStatus.BAD_REQUEST | HttpStatus.CONFLICT = HttpStatus.BAD_REQUEST,
  ) {
    super({ statusCode: status, message: Object.entries(problems).map(([field, problem]) => `${field}: ${problem}`) }, status);
  }
}

export const EMAIL_TAKEN = 'is already used by another console user (emails are unique, ignoring case)';
const LAST_ADMIN = 'The console needs at least one admin: make another user admin first.';

const shown = (row: ConsoleUserRow): ConsoleUser => ({ id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, lastLoginAt: row.lastLoginAt });

/**
 * The console's users: email + password (argon2id) and a role. Single sign-on (OpenID Connect)
 * finds them by email and may add users without a password; the console's session holds only
 * { userId, role }, so it signs them in the same way.
 */
@Injectable()
export class ConsoleUserService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private users(manager: EntityManager = this.db.manager): ConsoleUsersRepository {
    return new ConsoleUsersRepository(manager);
  }

  /** Creates a user; refused (400/409, naming the field) for bad input or an email already used. */
  async create(input: NewConsoleUser, actor: string, manager: EntityManager = this.db.manager): Promise<ConsoleUser> {
    const checked = checkNewConsoleUser(input);
    if ('problems' in checked) throw new ConsoleUserRefused(checked.problems);
    const { email, password, role } = checked.user;
    const row = await this.users(manager).create({ email, passwordHash: await hashPassword(password), role });
    if (!row) throw new ConsoleUserRefused({ email: EMAIL_TAKEN }, HttpStatus.CONFLICT);
    await new AuditLogRepository(manager).record({ actor, action: 'console_user.created', entity: 'console_user', entityId: row.id, details: { email, role } });
    return shown(row);
  }

  /**
   * The user these credentials belong to, with the sign-in recorded; undefined for an unknown
   * email, a wrong password or a user without a password, all taking the same time.
   */
  async signIn(email: string, password: string): Promise<ConsoleUser | undefined> {
    const row = email ? await this.users().findByEmail(email.trim()) : null;
    if (!row?.passwordHash) {
      await spendVerification(password);
      return undefined;
    }
    if (!(await passwordMatches(row.passwordHash, password))) return undefined;
    if (needsRehash(row.passwordHash)) await this.users().replacePasswordHash(row.id, row.passwordHash, await hashPassword(password));
    const at = this.clock.now();
    await this.users().recordLogin(row.id, at);
    return shown({ ...row, lastLoginAt: at });
  }

  /** The user with this email, ignoring case (single sign-on matches people by their verified email). */
  async findByEmail(email: string): Promise<ConsoleUser | undefined> {
    const row = await this.users().findByEmail(email.trim());
    return row ? shown(row) : undefined;
  }

  /**
   * A user who signs in through single sign-on only (no password), made at their first sign-in;
   * when someone made the same email meanwhile, that user.
   */
  async createForSingleSignOn(email: string, role: ConsoleRole, actor: string): Promise<ConsoleUser> {
    return this.db.transaction(async (tx) => {
      const row = await this.users(tx).create({ email: email.trim(), passwordHash: null, role });
      if (!row) return shown((await this.users(tx).findByEmail(email.trim()))!);
      await new AuditLogRepository(tx).record({ actor, action: 'console_user.created', entity: 'console_user', entityId: row.id, details: { email: row.email, role } });
      return shown(row);
    });
  }

  /** Records a sign-in made another way (single sign-on). */
  async recordSignIn(id: string): Promise<void> {
    await this.users().recordLogin(id, this.clock.now());
  }

  async find(id: string): Promise<ConsoleUser | undefined> {
    const row = await this.users().findById(id);
    return row ? shown(row) : undefined;
  }

  async list(): Promise<ConsoleUser[]> {
    return (await this.users().list()).map(shown);
  }

  async count(): Promise<number> {
    return this.users().count();
  }

  /** Gives a user another role; refused when it would leave the console without an admin. */
  async changeRole(id: string, role: unknown, actor: string): Promise<ConsoleUser> {
    const problem = roleProblem(role);
    if (problem) throw new ConsoleUserRefused({ role: problem });
    return this.db.transaction(async (tx) => {
      const admins = await this.users(tx).lockAdmins();
      const current = await this.users(tx).findById(id);
      if (!current) throw new NotFoundException(`no console user with id ${id}`);
      if (role !== 'admin' && admins.length === 1 && admins[0] === id) throw new ConflictException(LAST_ADMIN);
      const row = (await this.users(tx).setRole(id, role as ConsoleRole))!;
      await new AuditLogRepository(tx).record({ actor, action: 'console_user.role_changed', entity: 'console_user', entityId: id, details: { from: current.role, to: role } });
      return shown(row);
    });
  }

  /** Removes a user (their sessions stop working at their next request); never the last admin. */
  async remove(id: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const admins = await this.users(tx).lockAdmins();
      if (admins.length === 1 && admins[0] === id) throw new ConflictException(LAST_ADMIN);
      const email = await this.users(tx).remove(id);
      if (email === null) throw new NotFoundException(`no console user with id ${id}`);
      await new AuditLogRepository(tx).record({ actor, action: 'console_user.removed', entity: 'console_user', entityId: id, details: { email } });
    });
  }
}
