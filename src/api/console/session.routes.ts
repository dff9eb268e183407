import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameToken, type ConsoleSession, type ConsoleSessions } from '../../app/console-sessions.service.js';
import { CONSOLE_CSRF_HEADER, CONSOLE_SESSION_COOKIE, sessionTokenFromCookie } from '../../domain/console-session.js';
import { ApiError } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import type { CloudProvider } from '../../domain/regions.js';
import { parseRequestBody } from '../request-body.js';

/** Where the console's session lives. */
export const SESSION_PATH = '/console/api/session';

export interface SessionRoutesOptions {
  readonly sessions: ConsoleSessions;
  /** True when browsers reach privlink over HTTPS (the cookie is then `Secure`). */
  readonly secure: (request: FastifyRequest) => boolean;
  /** The clouds this deployment serves (the console offers only these in its wizards). */
  readonly providers: readonly CloudProvider[];
}

/**
 * The web console's sign-in (`POST /console/api/session` with `{publicKey, privateKey}`, or a
 * console user's `{email, password}`, as JSON), the current session (`GET`: who, with which roles,
 * the CSRF token writes must send in `X-CSRF-Token`, and the clouds this deployment serves) and
 * sign-out (`DELETE`, with the CSRF token). The session token travels only in an HttpOnly,
 * SameSite=Strict cookie (Secure behind TLS); the browser stores nothing secret.
 * Every failure is an Atlas error body; 401s carry no Digest challenge (no browser prompt).
 */
export function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): void {
  app.post(SESSION_PATH, async (request, reply) => {
    const body = parseRequestBody(request.body, request.headers['content-type']);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('MISSING_ATTRIBUTE', ['publicKey']);
    const fields = body as Record<string, unknown>;
    const session = 'email' in fields ? await signInWithPassword(options.sessions, fields) : await signInWithApiKey(options.sessions, fields);
    reply.header('set-cookie', cookie(session.token, options.secure(request)));
    return noStore(reply).code(201).send(describe(session, options.providers));
  });

  app.get(SESSION_PATH, async (request, reply) => {
    const session = await current(options.sessions, request);
    return noStore(reply).send(describe(session, options.providers));
  });

  app.delete(SESSION_PATH, async (request, reply) => {
    const session = await current(options.sessions, request);
    const csrf = request.headers[CONSOLE_CSRF_HEADER];
    if (!sameToken(typeof csrf === 'string' ? csrf : undefined, session.csrfToken)) throw new ApiError('CONSOLE_CSRF_TOKEN_INVALID');
    await options.sessions.signOut(session.token);
    reply.header('set-cookie', `${CONSOLE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${options.secure(request) ? '; Secure' : ''}`);
    return noStore(reply).code(204).send();
  });
}

async function signInWithApiKey(sessions: ConsoleSessions, fields: Record<string, unknown>): Promise<ConsoleSession> {
  const { publicKey, privateKey } = fields;
  if (publicKey === undefined) throw new ApiError('MISSING_ATTRIBUTE', ['publicKey']);
  if (privateKey === undefined) throw new ApiError('MISSING_ATTRIBUTE', ['privateKey']);
  if (typeof publicKey !== 'string' || publicKey.length > 64) throw new ApiError('INVALID_ATTRIBUTE', ['publicKey']);
  if (typeof privateKey !== 'string' || privateKey.length > 128) throw new ApiError('INVALID_ATTRIBUTE', ['privateKey']);
  const session = await sessions.signIn(publicKey.trim(), privateKey.trim());
  if (!session) throw new ApiError('NOT_AUTHENTICATED');
  return session;
}

/** A console user's sign-in: one answer (401 CONSOLE_SIGN_IN_FAILED) for an unknown email and a wrong password. */
async function signInWithPassword(sessions: ConsoleSessions, fields: Record<string, unknown>): Promise<ConsoleSession> {
  const { email, password } = fields;
  if (password === undefined) throw new ApiError('MISSING_ATTRIBUTE', ['password']);
  if (typeof email !== 'string' || email.length > 254) throw new ApiError('INVALID_ATTRIBUTE', ['email']);
  // bcrypt reads 72 bytes; anything far longer is no password of ours and is not hashed.
  if (typeof password !== 'string' || password.length > 1024) throw new ApiError('INVALID_ATTRIBUTE', ['password']);
  const session = await sessions.signInWithPassword(email, password);
  if (!session) throw new ApiError('CONSOLE_SIGN_IN_FAILED');
  return session;
}

async function current(sessions: ConsoleSessions, request: FastifyRequest): Promise<ConsoleSession> {
  const token = sessionTokenFromCookie(request.headers.cookie);
  const session = token === undefined ? undefined : await sessions.resolve(token);
  if (!session) throw new ApiError('NOT_AUTHENTICATED');
  return session;
}

function cookie(token: string, secure: boolean): string {
  return `${CONSOLE_SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store');
}

/**
 * What the console shows of the session: never the session token itself. An API key's session
 * names the key (`publicKey`, `apiUserId`), a console user's the user (`email`, `userId`);
 * `providers` lists the clouds this deployment serves (`AWS`, then `AZURE` and `GCP` when configured).
 */
function describe(session: ConsoleSession, providers: readonly CloudProvider[]): unknown {
  const p: Principal = session.principal;
  return {
    kind: p.kind,
    ...(p.kind === 'apiKey' ? { publicKey: p.name, apiUserId: p.id } : { email: p.name, userId: p.id }),
    orgId: p.orgId,
    csrfToken: session.csrfToken,
    roles: [
      ...p.orgRoles.map((roleName) => ({ orgId: p.orgId, roleName })),
      ...[...p.projectRoles].flatMap(([groupId, roles]) => roles.map((roleName) => ({ groupId, roleName }))),
    ],
    providers,
  };
}
