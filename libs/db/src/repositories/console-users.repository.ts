import { EntityManager } from 'typeorm';
import { affectedCount, returnedRows } from '../query-result';

/** console_users.role: admin (everything) or viewer (reports only). */
export type ConsoleRole = 'admin' | 'viewer';

/** A console user as stored; `passwordHash` is null for a person who signs in only through single sign-on. */
export interface ConsoleUserRow {
  id: string;
  email: string;
  passwordHash: string | null;
  role: ConsoleRole;
  createdAt: Date;
  lastLoginAt: Date | null;
}

const COLUMNS = `id, email, password_hash AS "passwordHash", role, created_at AS "createdAt", last_login_at AS "lastLoginAt"`;

/** console_users: the people who sign in to the console; one method per statement. */
export class ConsoleUsersRepository {
  constructor(private readonly db: EntityManager) {}

  /** The new user, or null when another user already has this email (ignoring case). */
  async create(user: { email: string; passwordHash: string | null; role: ConsoleRole }): Promise<ConsoleUserRow | null> {
    const rows: ConsoleUserRow[] = await this.db.query(
      `INSERT INTO console_users (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING ${COLUMNS}`,
      [user.email, user.passwordHash, user.role],
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<ConsoleUserRow | null> {
    const rows: ConsoleUserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM console_users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The user with this email, ignoring case. */
  async findByEmail(email: string): Promise<ConsoleUserRow | null> {
    const rows: ConsoleUserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM console_users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  /** Every user, by email. */
  async list(): Promise<ConsoleUserRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM console_users ORDER BY lower(email), id`);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM console_users`);
    return row.count;
  }

  /**
   * The admins' ids, each row locked until the transaction ends: two admins removing or demoting
   * each other at the same moment cannot leave the console without one.
   */
  async lockAdmins(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM console_users WHERE role = 'admin' ORDER BY id FOR UPDATE`);
    return rows.map((r) => r.id);
  }

  /** The user with the new role, or null when there is no such user. */
  async setRole(id: string, role: ConsoleRole): Promise<ConsoleUserRow | null> {
    const rows = returnedRows<ConsoleUserRow>(await this.db.query(`UPDATE console_users SET role = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, role]));
    return rows[0] ?? null;
  }

  /** The removed user's email, or null when there was no such user. */
  async remove(id: string): Promise<string | null> {
    const rows = returnedRows<{ email: string }>(await this.db.query(`DELETE FROM console_users WHERE id = $1 RETURNING email`, [id]));
    return rows[0]?.email ?? null;
  }

  async recordLogin(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE console_users SET last_login_at = $2 WHERE id = $1`, [id, at]);
  }

  /** A stronger hash of the same password (the hashing parameters went up since it was made). */
  async replacePasswordHash(id: string, oldHash: string, newHash: string): Promise<boolean> {
    return affectedCount(await this.db.query(`UPDATE console_users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [id, oldHash, newHash])) > 0;
  }
}
