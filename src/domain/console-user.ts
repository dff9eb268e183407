/**
 * Console users: the rules, without I/O.
 *
 * A console user signs in to the web console with an email address and a password. The email is
 * compared without regard to case (it is kept trimmed and in lower case) and names one user across
 * the store. Passwords are at least {@link PASSWORD_MIN_LENGTH} characters and at most
 * {@link PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no further, so a longer one would be
 * silently cut); they are stored only as bcrypt hashes of cost {@link BCRYPT_COST}.
 */

/** Shortest password accepted (docs/decisions.md). */
export const PASSWORD_MIN_LENGTH = 12;

/** Longest password accepted, in UTF-8 bytes: what bcrypt reads. */
export const PASSWORD_MAX_BYTES = 72;

/** bcrypt cost factor (2^12 rounds): about a quarter of a second per check on a server core. */
export const BCRYPT_COST = 12;

/** Longest email address (RFC 5321's path limit). */
const EMAIL_MAX_LENGTH = 254;

/** The stored form of an email address (trimmed, lower case), or undefined when it is not one. */
export function normalizeEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const email = value.trim().toLowerCase();
  if (email.length > EMAIL_MAX_LENGTH) return undefined;
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? email : undefined;
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `a password has at least ${PASSWORD_MIN_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return `a password has at most ${PASSWORD_MAX_BYTES} bytes`;
  return undefined;
}
