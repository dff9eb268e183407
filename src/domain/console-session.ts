/**
 * Web console sessions: the rules, without I/O.
 *
 * A session is signed in with an API key (public + private key, checked against the key's stored
 * Digest secrets) or as a console user (email + password, checked against its bcrypt hash) and
 * acts with that key's or user's roles as they are stored at each request. It ends on sign-out,
 * when the key or user is deleted, or after {@link CONSOLE_IDLE_TIMEOUT_MS} without a request —
 * Atlas's own default for its UI ("By default, Atlas UI sessions time out after 12 hours of
 * inactivity"). Writes must carry the session's CSRF token in the `X-CSRF-Token` header.
 */

/** Idle time after which a session is over. */
export const CONSOLE_IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/** How stale `lastSeenAt` may get before a request refreshes it (keeps polling off the write path). */
export const CONSOLE_TOUCH_INTERVAL_MS = 60 * 1000;

/** The cookie that carries the session token. */
export const CONSOLE_SESSION_COOKIE = 'privlink_session';

/** The header writes echo the CSRF token in. */
export const CONSOLE_CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing and need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request with `method` must carry the CSRF token. */
export function needsCsrfToken(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Decision table for a stored session at `now`: over (idle too long), refresh its last use, or use as is. */
export function sessionVerdict(lastSeenAt: Date, now: Date, idleTimeoutMs = CONSOLE_IDLE_TIMEOUT_MS): 'expired' | 'touch' | 'fresh' {
  const idle = now.getTime() - lastSeenAt.getTime();
  if (idle >= idleTimeoutMs) return 'expired';
  if (idle >= CONSOLE_TOUCH_INTERVAL_MS) return 'touch';
  return 'fresh';
}

/** The session token from a `Cookie` header, if any (the first `privlink_session=`). */
export function sessionTokenFromCookie(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CONSOLE_SESSION_COOKIE) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
