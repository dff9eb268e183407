import bcrypt from 'bcryptjs';
import { BCRYPT_COST } from '../domain/console-user.js';

/**
 * Console users' password hashing: bcrypt (the pure-JS `bcryptjs`, which yields to the event loop
 * while it works) at {@link BCRYPT_COST}. Passwords are checked against the length rules before
 * they get here (domain/console-user.ts).
 */
export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `hash`. Without a hash (no user has the email), the password is
 * still checked against a dummy hash of the same cost, so the answer takes as long either way and
 * its timing does not tell which emails have a user.
 */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (hash === undefined) {
    dummyHash ??= bcrypt.hash('no console user has this email', BCRYPT_COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}
