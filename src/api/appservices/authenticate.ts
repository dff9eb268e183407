import { authenticateAccess } from '../../app/appservices-sessions.service.js';
import type { AppContext } from '../../app/app-context.js';
import type { CredentialsLookup } from '../../app/authentication.service.js';
import { sameToken, type ConsoleSessions } from '../../app/console-sessions.service.js';
import { needsCsrfToken, sessionTokenFromCookie } from '../../domain/console-session.js';
import { ApiError, apiError } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import type { BrowserCredentials } from './route-registrar.js';

/**
 * Who a v3 request acts as: a Bearer access token (App Services' login), or — when there is no
 * `Authorization` header and the web console is enabled — the console's session cookie, acting
 * with the session's API key and its roles as stored now; writes must echo the session's CSRF
 * token. The console thus never holds an App Services token. Anything else → 401 `InvalidSession`.
 */
export async function authenticateAppServices(
  ctx: AppContext,
  credentials: CredentialsLookup,
  sessions: ConsoleSessions | undefined,
  method: string,
  authorization: string | undefined,
  browser: BrowserCredentials,
): Promise<Principal> {
  const token = authorization === undefined && sessions ? sessionTokenFromCookie(browser.cookie) : undefined;
  if (token === undefined) return authenticateAccess(ctx, credentials, authorization);
  const session = await sessions!.resolve(token);
  if (!session) throw apiError('APP_INVALID_SESSION', 'the console session is over; sign in again');
  if (needsCsrfToken(method) && !sameToken(browser.csrfToken, session.csrfToken)) throw new ApiError('CONSOLE_CSRF_TOKEN_INVALID');
  return session.principal;
}
