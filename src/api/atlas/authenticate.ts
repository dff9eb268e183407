import type { ApiKeyCredentials, CredentialsLookup } from '../../app/authentication.service.js';
import { sameToken, type ConsoleSessions } from '../../app/console-sessions.service.js';
import { needsCsrfToken, sessionTokenFromCookie } from '../../domain/console-session.js';
import { ApiError } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import { DigestAuthority, parseDigestAuthorization, type DigestCredentials } from './digest-auth.js';

interface CachedKey extends ApiKeyCredentials {
  readonly until: number;
  readonly generation: number;
}

/**
 * Authenticates Admin API requests by HTTP Digest against API keys. Keys and their roles are
 * cached per process to keep the store off the hot path: an entry is used for at most `cacheMs`
 * (default 1 s), and only while this process has written none of the tables it was read from since
 * (`writes`: the store's write generation over CREDENTIAL_TABLES) and `invalidate()` has not been called. So a key
 * deleted, re-roled or moved in this process is refused or re-checked on its next request, and a
 * change made through another replica applies within `cacheMs`. Replay protection (nonce and nc)
 * is never cached: every request is checked by the DigestAuthority.
 */
export class Authenticator {
  private readonly cache = new Map<string, CachedKey>();
  /** Reads of keys under way, by public key, with the generation each began at. */
  private readonly loading = new Map<string, { readonly generation: number; readonly read: Promise<CachedKey | undefined> }>();
  /** Moves on `invalidate()`; with `writes`, the generation an entry was read at. */
  private invalidations = 0;

  constructor(
    private readonly credentials: CredentialsLookup,
    private readonly digest: DigestAuthority,
    private readonly cacheMs = 1000,
    private readonly sessions?: ConsoleSessions,
    private readonly writes: { readonly value: number } = { value: 0 },
  ) {}

  /**
   * Returns the caller's principal, or throws 401 (with the Digest challenges: `stale=true` when
   * only the nonce had expired). Atlas answers every authentication failure the same way.
   *
   * A Digest request whose key is cached is answered at once: the principal itself, or a thrown
   * error (every Admin API request passes here, and a promise per request was a measurable part of
   * its cost). Otherwise (the store is read, or a console session is resolved) the answer is a
   * promise, rejected on failure. Callers handle both: `instanceof Promise`.
   */
  authenticate(method: string, url: string, authorization: string | undefined, browser: BrowserCredentials = {}): Principal | Promise<Principal> {
    const token = authorization === undefined ? sessionTokenFromCookie(browser.cookie) : undefined;
    if (token !== undefined && this.sessions) return this.authenticateSession(token, method, browser.csrfToken);
    const credentials = parseDigestAuthorization(authorization);
    if (!credentials) throw this.unauthorized(false);
    const cached = this.cached(credentials.username);
    if (cached) return this.check(cached, credentials, method, url);
    return this.load(credentials.username).then((key) => this.check(key, credentials, method, url));
  }

  /** The key's principal when the Digest answer is right for this request; else throws 401. */
  private check(key: ApiKeyCredentials | undefined, credentials: DigestCredentials, method: string, url: string): Principal {
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
    this.invalidations++;
    this.cache.clear();
  }

  private unauthorized(stale: boolean): ApiError {
    return new ApiError('NOT_AUTHENTICATED', [], { headers: { 'www-authenticate': this.digest.challenges(stale) } });
  }

  /** The cached entry of a key while it is good (see the class comment), else undefined. */
  private cached(publicKey: string): CachedKey | undefined {
    const hit = this.cache.get(publicKey);
    return hit && hit.until > Date.now() && hit.generation === this.generation() ? hit : undefined;
  }

  /**
   * Reads a key from the store and caches it. Requests that miss the cache while a read of the
   * same key at the same generation is under way share it: when a cached key expires under load,
   * every connection asking at once would otherwise read it again, one after another on the
   * embedded store's one session, and all of them wait for the last.
   */
  private load(publicKey: string): Promise<CachedKey | undefined> {
    const generation = this.generation();
    const inFlight = this.loading.get(publicKey);
    if (inFlight && inFlight.generation === generation) return inFlight.read;
    const read = this.read(publicKey, generation).finally(() => {
      if (this.loading.get(publicKey)?.read === read) this.loading.delete(publicKey);
    });
    this.loading.set(publicKey, { generation, read });
    return read;
  }

  private async read(publicKey: string, generation: number): Promise<CachedKey | undefined> {
    const now = Date.now();
    const found = await this.credentials(publicKey);
    if (!found) return undefined;
    const entry = { ...found, until: now + this.cacheMs, generation };
    // Kept only if nothing changed while it was read (else it may hold the roles from before).
    if (this.generation() === generation) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(publicKey, entry);
    }
    return entry;
  }

  /** Moves whenever this process writes a table keys are read from or calls `invalidate()`. */
  private generation(): number {
    return this.writes.value + this.invalidations;
  }
}

/** What a browser sends instead of Digest: the `Cookie` and `X-CSRF-Token` headers. */
export interface BrowserCredentials {
  readonly cookie?: string | undefined;
  readonly csrfToken?: string | undefined;
}
