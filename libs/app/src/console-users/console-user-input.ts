import type { ConsoleRole } from '@libs/db/src/repositories/console-users.repository';
import { passwordProblem } from './console-password';

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'viewer'];

/** A new console user as a form or the command line gives it (not yet checked). */
export interface NewConsoleUser {
  email: unknown;
  password: unknown;
  role?: unknown;
}

/** A checked new console user: email trimmed, role known, password acceptable. */
export interface CheckedConsoleUser {
  email: string;
  password: string;
  role: ConsoleRole;
}

// One @, something on both sides, a dot in the domain, no spaces: what a person mistypes, not RFC 5322.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: unknown): string | undefined {
  if (typeof email !== 'string' || email.trim() === '') return 'is required';
  if (email.trim().length > 254) return 'must be at most 254 characters';
  if (!EMAIL.test(email.trim())) return 'must be an email address like name@example.com';
  return undefined;
}

export function roleProblem(role: unknown): string | undefined {
  return typeof role === 'string' && (CONSOLE_ROLES as readonly string[]).includes(role) ? undefined : `must be one of ${CONSOLE_ROLES.join(', ')}`;
}

/**
 * Checks a new user; the problems are keyed by field (`email`, `password`, `role`), each a
 * sentence that completes "<field> …", so a form shows it beside the field and the command line
 * names its flag.
 */
export function checkNewConsoleUser(input: NewConsoleUser): { user: CheckedConsoleUser } | { problems: Record<string, string> } {
  const role = input.role === undefined || input.role === '' ? 'admin' : input.role;
  const problems: Record<string, string> = {};
  const found = { email: emailProblem(input.email), password: passwordProblem(input.password), role: roleProblem(role) };
  for (const [field, problem] of Object.entries(found)) if (problem) problems[field] = problem;
  if (Object.keys(problems).length) return { problems };
  return { user: { email: (input.email as string).trim(), password: input.password as string, role: role as ConsoleRole } };
}
