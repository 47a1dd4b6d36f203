import * as argon2 from 'argon2';

/** Shortest password accepted: long enough that guessing online (throttled) or offline (argon2id) is hopeless. */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest accepted: a bound on the work one sign-in can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): a sign-in costs
 * tens of milliseconds and 19 MiB, affordable on a small server and expensive to guess offline.
 * A hash made with lower settings is replaced at the next sign-in (`needsRehash`).
 */
const HASHING = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASHING);
}

export async function passwordMatches(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a stored value that is not an argon2 hash matches nothing
  }
}

export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, HASHING);
  } catch {
    return false;
  }
}

/**
 * A hash of no one's password, verified when the email is unknown (or signs in only through
 * single sign-on), so a wrong email takes as long as a wrong password and the answer cannot tell
 * which emails have accounts. Made once, lazily.
 */
let decoy: Promise<string> | undefined;
export async function spendVerification(password: string): Promise<void> {
  decoy ??= hashPassword('no one has this password; it only costs the same time');
  await passwordMatches(await decoy, password);
}

/** What is wrong with a new password, as a sentence; undefined when it is acceptable. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password === '') return 'is required';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters (it has ${length})`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return undefined;
}
