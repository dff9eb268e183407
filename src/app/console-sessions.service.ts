import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sessionVerdict, CONSOLE_IDLE_TIMEOUT_MS } from '../domain/console-session.js';
import { normalizeEmail } from '../domain/console-user.js';
import { digestHa1 } from '../domain/digest-secrets.js';
import type { Principal } from '../domain/identity.js';
import type { Store } from '../store/database.js';
import { ConsoleSessionsRepository, type SessionSubject } from '../store/console-sessions.repository.js';
import { ConsoleUsersRepository } from '../store/console-users.repository.js';
import { IdentityRepository } from '../store/identity.repository.js';
import { verifyPassword } from './password-hash.js';

/** A signed-in session: the token for the cookie, the CSRF token for writes, who it acts as. */
export interface ConsoleSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly principal: Principal;
}

/**
 * Web console sessions over the store (see domain/console-session.ts for the rules). Sign-in
 * checks an API key's private key against its stored Digest secrets (the private key is never
 * stored, here either), or a console user's password against its bcrypt hash; each request
 * re-reads the roles of the key or user, so the console can do exactly what the key can do over
 * Digest (or the user's roles allow), no more.
 */
export class ConsoleSessions {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    private readonly idleTimeoutMs = CONSOLE_IDLE_TIMEOUT_MS,
  ) {}

  /** A new session for the key, or undefined when the public/private key pair is not valid. */
  async signIn(publicKey: string, privateKey: string): Promise<ConsoleSession | undefined> {
    const identity = new IdentityRepository(this.store.db);
    const secrets = await identity.findDigestSecrets(publicKey);
    const expected = digestHa1(publicKey, privateKey).ha1Sha256;
    // Compare even when the key does not exist, so timing does not tell which public keys exist.
    const stored = secrets?.ha1Sha256 ?? createHash('sha256').update('absent').digest('hex');
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(stored)) || !secrets) return undefined;
    const principal = await identity.loadPrincipal(secrets.apiKeyId);
    return principal && this.open(principal);
  }

  /**
   * A new session for the console user with `email` (any case), or undefined when no user has the
   * email or the password is wrong — the two are not told apart, and take as long (a dummy bcrypt
   * check runs for an unknown email).
   */
  async signInWithPassword(email: string, password: string): Promise<ConsoleSession | undefined> {
    const users = new ConsoleUsersRepository(this.store.db);
    const normalized = normalizeEmail(email);
    const secret = normalized === undefined ? undefined : await users.findSecret(normalized);
    if (!(await verifyPassword(password, secret?.passwordHash)) || !secret) return undefined;
    const principal = await users.loadPrincipal(secret.id);
    return principal && this.open(principal);
  }

  private async open(principal: Principal): Promise<ConsoleSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.now();
    const sessions = new ConsoleSessionsRepository(this.store.db);
    await sessions.deleteIdle(new Date(now.getTime() - this.idleTimeoutMs));
    await sessions.insert(sha256(token), { kind: principal.kind, id: principal.id }, csrfToken, now);
    return { token, csrfToken, principal };
  }

  /** The live session for a token (refreshing its last use), or undefined when it is unknown or idle too long. */
  async resolve(token: string): Promise<ConsoleSession | undefined> {
    const sessions = new ConsoleSessionsRepository(this.store.db);
    const hash = sha256(token);
    const row = await sessions.find(hash);
    if (!row) return undefined;
    const now = this.now();
    const verdict = sessionVerdict(row.lastSeenAt, now, this.idleTimeoutMs);
    if (verdict === 'expired') {
      await sessions.delete(hash);
      return undefined;
    }
    if (verdict === 'touch') await sessions.touch(hash, now);
    const principal = await this.principalOf(row.subject);
    return principal && { token, csrfToken: row.csrfToken, principal };
  }

  private principalOf(subject: SessionSubject): Promise<Principal | undefined> {
    if (subject.kind === 'consoleUser') return new ConsoleUsersRepository(this.store.db).loadPrincipal(subject.id);
    return new IdentityRepository(this.store.db).loadPrincipal(subject.id);
  }

  /** Ends the session (no error when it is already gone). */
  async signOut(token: string): Promise<void> {
    await new ConsoleSessionsRepository(this.store.db).delete(sha256(token));
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether two tokens are equal, in constant time. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
