import { createHash, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import { computeErrors } from './compute-error.js';
import type { StoredProject } from './store/control.repository.js';
import type { GcpRepositories } from './store/repositories.js';
import type { VerifiedTokens } from '../common/verified-tokens.js';

/** Access tokens live an hour, as Google's do (`expires_in` 3599). */
export const TOKEN_LIFETIME_S = 3599;
/** Clock skew tolerated on a JWT's `iat`/`exp`. */
const SKEW_S = 300;
/** The audience a self-signed JWT for Compute carries. */
const COMPUTE_AUDIENCE = 'https://compute.googleapis.com/';
/** The audience of a JWT-bearer assertion for Google's token endpoint. */
const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The stored form of a token: its SHA-256 (the token itself is never stored). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a request needs from the owner to check audiences. */
export interface AuthContext {
  readonly repos: GcpRepositories;
  /** `http://host:port` of the emulator. */
  readonly baseUrl: string;
  /** Wall clock (token expiry never follows the emulated clock). */
  readonly now: Date;
  /** Access tokens this process verified before (a self-signed JWT is checked every time). */
  readonly verified?: VerifiedTokens<StoredProject>;
}

interface JwtParts {
  readonly header: { alg?: unknown; kid?: unknown; typ?: unknown };
  readonly claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown; iat?: unknown; scope?: unknown };
  readonly signed: Buffer;
  readonly signature: Buffer;
}

function decodeJwt(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as JwtParts['header'];
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtParts['claims'];
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header, claims, signed: Buffer.from(`${parts[0]}.${parts[1]}`), signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

/**
 * The project whose service-account key signed `token` (RS256, `kid` = the key id, `iss` = the
 * service account's email), when its audience is one of `audiences` (or ends in the emulator's
 * URL) and it is within its lifetime (at most an hour, as Google allows), with the instant it
 * stops being accepted; else undefined.
 */
async function verifySelfSigned(ctx: AuthContext, token: string, audiences: readonly string[]): Promise<{ project: StoredProject; acceptedUntil: Date } | undefined> {
  const jwt = decodeJwt(token);
  if (!jwt || jwt.header.alg !== 'RS256' || typeof jwt.header.kid !== 'string') return undefined;
  const project = (await ctx.repos.control.allProjects()).find((p) => p.privateKeyId === jwt.header.kid);
  if (!project || jwt.claims.iss !== project.clientEmail) return undefined;
  if (!verify('sha256', jwt.signed, project.publicKey, jwt.signature)) return undefined;
  const aud = jwt.claims.aud;
  const base = ctx.baseUrl.replace(/\/$/, '');
  if (typeof aud !== 'string' || !(audiences.includes(aud) || aud.replace(/\/$/, '').endsWith(base) || aud.startsWith(`${base}/`))) return undefined;
  const now = ctx.now.getTime() / 1000;
  const { exp, iat } = jwt.claims;
  if (typeof exp !== 'number' || typeof iat !== 'number') return undefined;
  if (exp <= now - SKEW_S || iat > now + SKEW_S || exp - iat > 3600 + SKEW_S) return undefined;
  return { project, acceptedUntil: new Date((exp + SKEW_S) * 1000) };
}

/**
 * The project behind a Compute request's `Authorization: Bearer` header: a self-signed JWT of a
 * known service-account key, or an access token issued by `/token`. Throws 401 (`required` when
 * the header is missing, `authError` when it is not a valid credential).
 */
export async function authenticate(ctx: AuthContext, header: string | string[] | undefined): Promise<StoredProject> {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw computeErrors.unauthenticated();
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match) throw computeErrors.invalidCredentials();
  const token = match[1]!;
  // A token verified before is accepted from memory until it expires: issued tokens are never
  // revoked, and the keys that sign self-signed JWTs are never changed or removed.
  const hash = tokenHash(token);
  const known = ctx.verified?.find(hash);
  if (known) {
    if (known.expiresAt.getTime() <= ctx.now.getTime()) throw computeErrors.invalidCredentials();
    return known.principal;
  }
  if (token.split('.').length === 3) {
    const verified = await verifySelfSigned(ctx, token, [COMPUTE_AUDIENCE]);
    if (!verified) throw computeErrors.invalidCredentials();
    ctx.verified?.remember(hash, verified.project, verified.acceptedUntil);
    return verified.project;
  }
  const stored = await ctx.repos.control.findToken(hash);
  if (!stored || stored.expiresAt.getTime() <= ctx.now.getTime()) throw computeErrors.invalidCredentials();
  const project = (await ctx.repos.control.allProjects()).find((p) => p.projectId === stored.projectId);
  if (!project) throw computeErrors.invalidCredentials();
  ctx.verified?.remember(hash, project, stored.expiresAt);
  return project;
}

/** An answer of the token endpoint: Google's OAuth JSON. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function oauthError(status: number, error: string, description: string): TokenAnswer {
  return { status, body: { error, error_description: description } };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /token` (form body), as Google's OAuth token endpoint: `grant_type=refresh_token` with a
 * project's refresh token (and, if sent, its service account's client id), or
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with an `assertion` signed by a known
 * key (audience Google's token URL or this endpoint). Answers `{access_token, expires_in,
 * token_type:"Bearer"}`; the token is opaque and stored hashed. Errors as Google answers them
 * (`unsupported_grant_type`, `invalid_grant`, `invalid_client`).
 */
export async function answerToken(ctx: AuthContext, body: Buffer): Promise<TokenAnswer> {
  const form = new URLSearchParams(body.toString('utf8'));
  const grant = form.get('grant_type');
  let project: StoredProject | undefined;
  if (grant === 'refresh_token') {
    const refresh = form.get('refresh_token') ?? '';
    project = (await ctx.repos.control.allProjects()).find((p) => refresh !== '' && sameSecret(refresh, p.refreshToken));
    if (!project) return oauthError(400, 'invalid_grant', 'Bad Request');
    const clientId = form.get('client_id');
    if (clientId && clientId !== project.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  } else if (grant === JWT_BEARER) {
    project = (await verifySelfSigned(ctx, form.get('assertion') ?? '', [GOOGLE_TOKEN_AUDIENCE, `${ctx.baseUrl}/token`]))?.project;
    if (!project) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
  } else {
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  }
  await ctx.repos.control.forgetTokens(new Date(ctx.now.getTime() - TOKEN_LIFETIME_S * 1000));
  const token = `ya29.${randomBytes(48).toString('base64url')}`;
  await ctx.repos.control.saveToken(tokenHash(token), project.projectId, new Date(ctx.now.getTime() + TOKEN_LIFETIME_S * 1000));
  return { status: 200, body: { access_token: token, expires_in: TOKEN_LIFETIME_S, token_type: 'Bearer' } };
}
