import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslprep } from '@mongodb-js/saslprep';

/**
 * SCRAM (RFC 5802, RFC 7677) as MongoDB uses it: the two mechanisms, the credentials a server keeps
 * for a user, and the server's half of the conversation. Pure computation, no I/O.
 *
 * MongoDB's quirks, as its documentation and drivers' auth specification state them:
 * - SCRAM-SHA-1 hashes the *password digest* `hex(MD5("<username>:mongo:<password>"))`, not the
 *   password itself; SCRAM-SHA-256 hashes the password prepared with SASLprep (RFC 4013).
 * - mongod's default iteration counts are 10,000 (`scramIterationCount`) and 15,000
 *   (`scramSHA256IterationCount`); its salts are 16 and 28 bytes.
 */
export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-1', 'SCRAM-SHA-256'];

/** What a server stores for one user and mechanism (never the password). Binary values base64. */
export interface ScramCredential {
  readonly salt: string;
  readonly iterationCount: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/** A user's credentials for both mechanisms. */
export interface ScramCredentials {
  readonly 'SCRAM-SHA-1': ScramCredential;
  readonly 'SCRAM-SHA-256': ScramCredential;
}

const PARAMETERS: Record<ScramMechanism, { hash: 'sha1' | 'sha256'; keyLength: number; saltBytes: number; iterations: number }> = {
  'SCRAM-SHA-1': { hash: 'sha1', keyLength: 20, saltBytes: 16, iterations: 10_000 },
  'SCRAM-SHA-256': { hash: 'sha256', keyLength: 32, saltBytes: 28, iterations: 15_000 },
};

export function isScramMechanism(value: unknown): value is ScramMechanism {
  return value === 'SCRAM-SHA-1' || value === 'SCRAM-SHA-256';
}

/**
 * The password as the mechanism hashes it. Throws (a RangeError from SASLprep) for a password
 * with characters RFC 4013 prohibits; callers validate passwords with `isPreparablePassword` first.
 */
function preparedPassword(mechanism: ScramMechanism, username: string, password: string): string {
  if (mechanism === 'SCRAM-SHA-1') return createHash('md5').update(`${username}:mongo:${password}`, 'utf8').digest('hex');
  return saslprep(password);
}

/** True when SASLprep accepts the password (SCRAM-SHA-256 needs it). */
export function isPreparablePassword(password: string): boolean {
  try {
    return saslprep(password).length > 0;
  } catch {
    return false;
  }
}

/** Derives the stored credential for one mechanism from a password (slow on purpose: PBKDF2). */
export function scramCredential(mechanism: ScramMechanism, username: string, password: string, salt?: Buffer, iterationCount?: number): ScramCredential {
  const p = PARAMETERS[mechanism];
  const saltBytes = salt ?? randomBytes(p.saltBytes);
  const iterations = iterationCount ?? p.iterations;
  const salted = pbkdf2Sync(Buffer.from(preparedPassword(mechanism, username, password), 'utf8'), saltBytes, iterations, p.keyLength, p.hash);
  const clientKey = hmac(p.hash, salted, 'Client Key');
  return {
    salt: saltBytes.toString('base64'),
    iterationCount: iterations,
    storedKey: createHash(p.hash).update(clientKey).digest('base64'),
    serverKey: hmac(p.hash, salted, 'Server Key').toString('base64'),
  };
}

/** Credentials for both mechanisms. */
export function scramCredentials(username: string, password: string): ScramCredentials {
  return { 'SCRAM-SHA-1': scramCredential('SCRAM-SHA-1', username, password), 'SCRAM-SHA-256': scramCredential('SCRAM-SHA-256', username, password) };
}

/** A SCRAM exchange the server cannot continue; the node answers AuthenticationFailed. */
export class ScramError extends Error {
  override readonly name = 'ScramError';
}

/** The server's state between the client's first and final messages. */
export interface ScramServerFirst {
  readonly mechanism: ScramMechanism;
  readonly username: string;
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  readonly nonce: string;
}

/**
 * Reads the client-first message (`n,,n=<user>,r=<nonce>`): the gs2 header must ask for no channel
 * binding (`n`) and no authorization identity, as MongoDB's drivers send it.
 */
export function parseClientFirst(message: string): { username: string; clientNonce: string; bare: string } {
  if (!message.startsWith('n,,')) throw new ScramError('SCRAM: unsupported gs2 header (channel binding or authzid)');
  const bare = message.slice(3);
  const fields = attributes(bare);
  const user = fields.get('n');
  const clientNonce = fields.get('r');
  if (!user || !clientNonce || fields.has('m')) throw new ScramError('SCRAM: malformed client-first message');
  return { username: unescapeName(user), clientNonce, bare };
}

/** The server-first message for a user's credential: the combined nonce, the salt, the iteration count. */
export function serverFirst(mechanism: ScramMechanism, username: string, clientFirstBare: string, clientNonce: string, credential: ScramCredential): ScramServerFirst {
  const nonce = clientNonce + randomBytes(24).toString('base64');
  return { mechanism, username, clientFirstBare, nonce, serverFirst: `r=${nonce},s=${credential.salt},i=${credential.iterationCount}` };
}

/**
 * Checks the client-final message (`c=biws,r=<nonce>,p=<proof>`) against the stored credential.
 * Returns the server-final message (`v=<signature>`) on success; throws ScramError otherwise.
 */
export function verifyClientFinal(state: ScramServerFirst, message: string, credential: ScramCredential): string {
  const p = PARAMETERS[state.mechanism];
  const proofAt = message.lastIndexOf(',p=');
  if (proofAt < 0) throw new ScramError('SCRAM: client-final message without proof');
  const withoutProof = message.slice(0, proofAt);
  const fields = attributes(withoutProof);
  if (fields.get('c') !== 'biws') throw new ScramError('SCRAM: unexpected channel binding');
  if (fields.get('r') !== state.nonce) throw new ScramError('SCRAM: nonce mismatch');
  const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
  const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
  const storedKey = Buffer.from(credential.storedKey, 'base64');
  if (proof.length !== storedKey.length) throw new ScramError('SCRAM: proof of the wrong length');
  const clientSignature = hmac(p.hash, storedKey, authMessage);
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
  if (!timingSafeEqual(createHash(p.hash).update(clientKey).digest(), storedKey)) throw new ScramError('SCRAM: wrong password');
  return `v=${hmac(p.hash, Buffer.from(credential.serverKey, 'base64'), authMessage).toString('base64')}`;
}

function hmac(hash: 'sha1' | 'sha256', key: Buffer, text: string): Buffer {
  return createHmac(hash, key).update(text, 'utf8').digest();
}

/** `a=1,b=2` → Map; values may contain `=` (base64). */
function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at !== 1) throw new ScramError('SCRAM: malformed attribute');
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** RFC 5802 §5.1: `=2C` is `,` and `=3D` is `=` in a saslname; any other `=` is an error. */
function unescapeName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('SCRAM: malformed username');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}
