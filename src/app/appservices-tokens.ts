import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * App Services Admin API bearer tokens: `<payload>.<signature>`, both base64url, the signature an
 * HMAC-SHA256 of the payload with a secret shared by every replica (stored in the settings table).
 * The payload names the token type (`access` / `refresh`), the API key, the session and the expiry
 * (seconds since the epoch). A token that does not verify, is of the other type, or has expired is
 * refused; access tokens are short-lived (30 minutes by default, as App Services), refresh tokens
 * last as long as their session (60 days) unless the session is deleted.
 */
export interface TokenClaims {
  readonly typ: 'access' | 'refresh';
  /** The API key's id (the `user_id` the login answered). */
  readonly sub: string;
  /** The API key's public key (how the caller's roles are looked up). */
  readonly key: string;
  /** The session (`appservices_sessions.id`) the token belongs to. */
  readonly sid: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export function signToken(secret: Buffer, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/** The claims of a well-signed token (expiry not checked here), or undefined for anything else. */
export function readToken(secret: Buffer, token: string): TokenClaims | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 2048) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    if ((claims.typ !== 'access' && claims.typ !== 'refresh') || typeof claims.sub !== 'string' || typeof claims.key !== 'string') return undefined;
    if (typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return undefined;
    return claims as TokenClaims;
  } catch {
    return undefined;
  }
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
