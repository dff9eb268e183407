import type { ApiKeyCredentials, CredentialsLookup } from '../../app/authentication.service.js';
import { sameToken, type ConsoleSessions } from '../../app/console-sessions.service.js';
import { needsCsrfToken, sessionTokenFromCookie } from '../../domain/console-session.js';
import { ApiError } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import { DigestAuthority, parseDigestAuthorization } from './digest-auth.js';

interface CachedKey extends ApiKeyCredentials {
  readonly until: number;
}

/**
 * Authenticates Admin API requests by HTTP Digest against API keys. Keys and their roles are
 * cached per process for `cacheMs` (default 1 s) to keep the store off the hot path; a key
 * revoked or re-roled in another replica takes effect within that time, and at once in this one
 * (`invalidate()` is called after every identity change made here).
 */
export class Authenticator {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly credentials: CredentialsLookup,
    private readonly digest: DigestAuthority,
    private readonly cacheMs = 1000,
    private readonly sessions?: ConsoleSessions,
  ) {}

  /**
   * Returns the caller's principal, or throws 401 (with the Digest challenges: `stale=true` when
   * only the nonce had expired). Atlas answers every authentication failure the same way.
   */
  async authenticate(method: string, url: string, authorization: string | undefined, browser: BrowserCredentials = {}): Promise<Principal> {
    const token = authorization === undefined ? sessionTokenFromCookie(browser.cookie) : undefined;
    if (token !== undefined && this.sessions) return this.authenticateSession(token, method, browser.csrfToken);
    const credentials = parseDigestAuthorization(authorization);
    if (!credentials) throw this.unauthorized(false);
    const key = await this.lookup(credentials.username);
    if (!key) throw this.unauthorized(false);
    const verdict = this.digest.verify(credentials, key.secrets, method, url);
    if (!verdict.ok) throw this.unauthorized(verdict.stale);
    return key.principal;
  }

  /**
   * A web console request (a session cookie and no `Authorization`): the session's API key with
   * its roles as stored now; writes must echo the session's CSRF token. Failures answer 401
   * without a Digest challenge, so that a browser shows the console's sign-in, not its own prompt.
   */
  private async authenticateSession(token: string, method: string, csrfToken: string | undefined): Promise<Principal> {
    const session = await this.sessions!.resolve(token);
    if (!session) throw new ApiError('NOT_AUTHENTICATED');
    if (needsCsrfToken(method) && !sameToken(csrfToken, session.csrfToken)) throw new ApiError('CONSOLE_CSRF_TOKEN_INVALID');
    return session.principal;
  }

  /** Forgets cached keys (after a change to keys or roles in this process). */
  invalidate(): void {
    this.cache.clear();
  }

  private unauthorized(stale: boolean): ApiError {
    return new ApiError('NOT_AUTHENTICATED', [], { headers: { 'www-authenticate': this.digest.challenges(stale) } });
  }

  private async lookup(publicKey: string): Promise<CachedKey | undefined> {
    const now = Date.now();
    const hit = this.cache.get(publicKey);
    if (hit && hit.until > now) return hit;
    const found = await this.credentials(publicKey);
    if (!found) return undefined;
    const entry = { ...found, until: now + this.cacheMs };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(publicKey, entry);
    return entry;
  }
}

/** What a browser sends instead of Digest: the `Cookie` and `X-CSRF-Token` headers. */
export interface BrowserCredentials {
  readonly cookie?: string | undefined;
  readonly csrfToken?: string | undefined;
}
