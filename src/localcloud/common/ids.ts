import { randomBytes, randomInt } from 'node:crypto';

/**
 * Random building blocks for the identifiers every emulator makes. All are random (not
 * sequential), so ids from a restarted process never collide with stored ones in practice;
 * callers that need uniqueness guarantees rely on the table's primary key. Each emulator keeps
 * its own cloud's id formats next to its code (e.g. aws/ids.ts).
 */

/** Lower-case letters and digits. */
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters of `alphabet` (uniform, from the crypto RNG). */
export function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `length` lower-case hex digits. */
export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
