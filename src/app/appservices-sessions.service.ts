import { randomBytes, timingSafeEqual } from 'node:crypto';
import { digestHa1 } from '../domain/digest-secrets.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import type { CredentialsLookup } from './authentication.service.js';
import { bearerToken, readToken, signToken, type TokenClaims } from './appservices-tokens.js';

/** How long tokens live. */
export interface TokenLifetimes {
  /** Access tokens (default 30 minutes, as App Services). */
  readonly accessMs: number;
  /** Sessions and their refresh tokens (default 60 days). */
  readonly refreshMs: number;
}

export const DEFAULT_TOKEN_LIFETIMES: TokenLifetimes = { accessMs: 30 * 60_000, refreshMs: 60 * 24 * 3_600_000 };

/** App Services' admin logins answer this device id. */
const ADMIN_DEVICE_ID = '000000000000000000000000';

const secrets = new WeakMap<object, Promise<Buffer>>();

/** The token-signing secret, made once per store and shared by every replica. */
function tokenSecret(ctx: AppContext): Promise<Buffer> {
  let secret = secrets.get(ctx.store);
  if (!secret) {
    secret = reader(ctx)
      .settings.getOrInit('appservices.token.secret', randomBytes(32).toString('hex'))
      .then((hex) => Buffer.from(hex, 'hex'));
    secrets.set(ctx.store, secret);
    secret.catch(() => secrets.delete(ctx.store));
  }
  return secret;
}

export interface LoginResult {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly user_id: string;
  readonly device_id: string;
}

/**
 * `POST /auth/providers/mongodb-cloud/login`: the Atlas API key pair (public key as `username`,
 * private key as `apiKey`) → a new session with its access and refresh tokens. A wrong pair → 401.
 */
export async function login(ctx: AppContext, lookup: CredentialsLookup, username: string, apiKey: string, lifetimes: TokenLifetimes): Promise<LoginResult> {
  const key = await lookup(username);
  const given = Buffer.from(digestHa1(username, apiKey).ha1Sha256, 'hex');
  const stored = Buffer.from(key?.secrets.ha1Sha256 ?? '00', 'hex');
  if (!key || given.length !== stored.length || !timingSafeEqual(given, stored)) throw apiError('APP_INVALID_CREDENTIALS');
  const now = ctx.now();
  const sessionId = newObjectId(now);
  const expiresAt = new Date(now.getTime() + lifetimes.refreshMs);
  await inTransaction(ctx, ({ repos }) => repos.appServicesApps.insertSession({ id: sessionId, apiKeyId: key.principal.id, createdAt: now, expiresAt }));
  const secret = await tokenSecret(ctx);
  const base = { sub: key.principal.id, key: username, sid: sessionId };
  return {
    access_token: signToken(secret, { ...base, typ: 'access', exp: seconds(now.getTime() + lifetimes.accessMs) }),
    refresh_token: signToken(secret, { ...base, typ: 'refresh', exp: seconds(expiresAt.getTime()) }),
    user_id: key.principal.id,
    device_id: ADMIN_DEVICE_ID,
  };
}

/**
 * Who an access token acts as: a token that verifies, of type `access`, not expired, whose session
 * still exists and whose API key still exists (its roles as stored now). Anything else → 401.
 */
export async function authenticateAccess(ctx: AppContext, lookup: CredentialsLookup, authorization: string | undefined): Promise<Principal> {
  const claims = await verified(ctx, authorization, 'access');
  const key = await lookup(claims.key);
  if (!key || key.principal.id !== claims.sub) throw apiError('APP_INVALID_SESSION', 'the API key of this session no longer exists');
  return key.principal;
}

/** `POST /auth/session`: a refresh token of a live session → a new access token. */
export async function refreshSession(ctx: AppContext, lookup: CredentialsLookup, authorization: string | undefined, lifetimes: TokenLifetimes): Promise<{ access_token: string }> {
  const claims = await verified(ctx, authorization, 'refresh');
  const key = await lookup(claims.key);
  if (!key || key.principal.id !== claims.sub) throw apiError('APP_INVALID_SESSION', 'the API key of this session no longer exists');
  const now = ctx.now();
  const secret = await tokenSecret(ctx);
  return { access_token: signToken(secret, { typ: 'access', sub: claims.sub, key: claims.key, sid: claims.sid, exp: seconds(now.getTime() + lifetimes.accessMs) }) };
}

/** `DELETE /auth/session`: ends the refresh token's session (its access tokens stop working too). */
export async function deleteSession(ctx: AppContext, authorization: string | undefined): Promise<void> {
  const claims = await verified(ctx, authorization, 'refresh');
  const deleted = await inTransaction(ctx, ({ repos }) => repos.appServicesApps.deleteSession(claims.sid, ctx.now()));
  if (!deleted) throw apiError('APP_SESSION_NOT_FOUND');
}

async function verified(ctx: AppContext, authorization: string | undefined, typ: TokenClaims['typ']): Promise<TokenClaims> {
  const token = bearerToken(authorization);
  if (!token) throw apiError('APP_INVALID_SESSION', 'must authenticate with a bearer token');
  const claims = readToken(await tokenSecret(ctx), token);
  if (!claims) throw apiError('APP_INVALID_SESSION', 'the token is not valid');
  if (claims.typ !== typ) throw typ === 'refresh' ? apiError('APP_REFRESH_TOKEN_TYPE') : apiError('APP_INVALID_SESSION', 'an access token is required');
  const now = ctx.now();
  if (claims.exp * 1000 <= now.getTime()) throw apiError('APP_INVALID_SESSION', `${typ} token expired`);
  const session = await reader(ctx).appServicesApps.findSession(claims.sid, claims.sub, now);
  if (!session) throw typ === 'refresh' ? apiError('APP_SESSION_NOT_FOUND') : apiError('APP_INVALID_SESSION', 'the session has ended');
  return claims;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
